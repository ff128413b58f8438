import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PROFILE_DIR_ENV } from './section-profiler.ts';

export type Phase = (input: never) => Promise<unknown>;

export interface ChildOptions {
  workDir: string;
  /** The entry script children run (see snapshotBundle). */
  script: string;
  /** When set, children profile their measured sections and leave `<section>.cpuprofile` files here. */
  cpuProfDir: string | null;
}

/**
 * Runs one phase of this same bundle in a fresh Node process: each measurement starts with a clean heap,
 * its own maxRSS high-water mark and empty module-level caches (the transcript line index, for one).
 */
export async function runInChild<T>(phase: string, input: object, o: ChildOptions): Promise<T> {
  const inFile = join(o.workDir, `${phase}.in.json`);
  const outFile = join(o.workDir, `${phase}.out.json`);
  writeFileSync(inFile, JSON.stringify(input));
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [o.script, '--phase', phase, '--in', inFile, '--out', outFile], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: o.cpuProfDir ? { ...process.env, [PROFILE_DIR_ENV]: o.cpuProfDir } : process.env,
    });
    child.on('error', reject);
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  if (code !== 0) throw new Error(`phase ${phase} exited with code ${code}`);
  return JSON.parse(readFileSync(outFile, 'utf8')) as T;
}

/**
 * Copies the running bundle (entry + chunks) into the run's work dir and returns the copied entry: other
 * engineers' builds replace out/main/ at any time, and a child must run the same code as its parent.
 * The copy stays under the repository, so node_modules still resolves.
 */
export function snapshotBundle(workDir: string): string {
  const entry = process.argv[1] ?? '';
  const to = join(workDir, 'bundle');
  cpSync(dirname(entry), to, { recursive: true });
  return join(to, basename(entry));
}

/** The child side: run the named phase on its JSON input and write its JSON output. */
export async function childMain(
  phase: string,
  inFile: string,
  outFile: string,
  phases: Record<string, Phase>,
): Promise<void> {
  const run = phases[phase] as ((input: unknown) => Promise<unknown>) | undefined;
  if (!run) throw new Error(`unknown phase ${phase}`);
  const result = await run(JSON.parse(readFileSync(inFile, 'utf8')) as unknown);
  writeFileSync(outFile, JSON.stringify(result));
}
