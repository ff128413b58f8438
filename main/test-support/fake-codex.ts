import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { makeTempDir } from './temp-dir.ts';

/**
 * A stand-in `codex` executable for tests: a small Node script (shebang = this Node) in a temp bin dir that
 * records each run's argv, cwd, stdin, pid and the `--output-schema` file's JSON, then behaves as configured:
 * writes files (relative to its cwd), the `--output-last-message` file, JSONL events on stdout, stderr, an
 * exit code, or hangs until killed. Tests hand `env()` (PATH = the bin dir first) to the provider; the real
 * PATH is never changed. POSIX only (shebang).
 */

export interface FakeCodexBehaviour {
  /** Written to the file after `--output-last-message` / `-o`; nothing is written when undefined. */
  lastMessage?: string;
  /** Printed to stdout, one JSON line each (e.g. `{type:'turn.completed', usage:{…}}`). */
  events?: Record<string, unknown>[];
  stderr?: string;
  exitCode?: number;
  /** Files to write before answering, relative to the cwd (folders created). */
  writeFiles?: Record<string, string>;
  /** Stay alive until killed (after recording and writing). */
  hang?: boolean;
}

export interface FakeCodexCall {
  argv: string[];
  cwd: string;
  stdin: string;
  pid: number;
  /** The JSON of the `--output-schema` file as it was during the run, or null. */
  outputSchema: unknown;
}

export interface FakeCodex {
  binDir: string;
  /** The executable's full path. */
  path: string;
  /** `base` (default process.env) with the bin dir first on PATH. */
  env(base?: NodeJS.ProcessEnv): Record<string, string | undefined>;
  /** Replaces the behaviour for the next runs. */
  configure(b: FakeCodexBehaviour): void;
  /** Every run so far, oldest first. */
  calls(): FakeCodexCall[];
  cleanup(): void;
}

const SCRIPT = (here: string): string => `#!${process.execPath}
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const here = ${JSON.stringify(here)};
const b = JSON.parse(fs.readFileSync(path.join(here, 'behaviour.json'), 'utf8'));
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const argv = process.argv.slice(2);
  const after = (...flags) => { for (const f of flags) { const i = argv.indexOf(f); if (i >= 0) return argv[i + 1]; } };
  let outputSchema = null;
  const schemaFile = after('--output-schema');
  if (schemaFile) { try { outputSchema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')); } catch { outputSchema = 'unreadable'; } }
  const rec = path.join(here, 'calls.json');
  const calls = fs.existsSync(rec) ? JSON.parse(fs.readFileSync(rec, 'utf8')) : [];
  calls.push({ argv, cwd: process.cwd(), stdin: Buffer.concat(chunks).toString('utf8'), pid: process.pid, outputSchema });
  fs.writeFileSync(rec + '.tmp', JSON.stringify(calls));
  fs.renameSync(rec + '.tmp', rec);
  for (const [rel, text] of Object.entries(b.writeFiles || {})) {
    const p = path.join(process.cwd(), rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  const last = after('--output-last-message', '-o');
  if (last && typeof b.lastMessage === 'string') fs.writeFileSync(last, b.lastMessage);
  for (const e of b.events || []) process.stdout.write(JSON.stringify(e) + '\\n');
  if (b.stderr) process.stderr.write(b.stderr);
  if (b.hang) { setInterval(() => {}, 1 << 30); return; }
  process.exitCode = typeof b.exitCode === 'number' ? b.exitCode : 0;
});
`;

export function createFakeCodex(behaviour: FakeCodexBehaviour = {}, name = 'codex'): FakeCodex {
  const { dir, cleanup } = makeTempDir('threadscope-fake-codex-');
  const path = join(dir, name);
  writeFileSync(join(dir, 'behaviour.json'), JSON.stringify(behaviour));
  writeFileSync(path, SCRIPT(dir));
  chmodSync(path, 0o755);
  return {
    binDir: dir,
    path,
    env: (base = process.env) => ({ ...base, PATH: [dir, base.PATH].filter(Boolean).join(delimiter) }),
    configure: (b) => writeFileSync(join(dir, 'behaviour.json'), JSON.stringify(b)),
    calls: () => {
      const rec = join(dir, 'calls.json');
      return existsSync(rec) ? (JSON.parse(readFileSync(rec, 'utf8')) as FakeCodexCall[]) : [];
    },
    cleanup,
  };
}
