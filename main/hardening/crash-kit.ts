import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Helpers of crash-consistency.test.ts: real child processes (the built serve entry, or a plain-Node
 * script) that the test SIGKILLs at chosen moments, read-only peeks into their SQLite files while they
 * run, and checks on copies of those files afterwards.
 */

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const builtMain = join(repoRoot, 'out', 'main');
export const serveJs = join(builtMain, 'serve.js');
export const logsWorkerJs = join(builtMain, 'logs-worker.js');
export const builtAvailable = (): boolean => existsSync(serveJs) && existsSync(logsWorkerJs);

export interface Child {
  readonly proc: ChildProcess;
  /** stdout lines so far. */
  readonly lines: string[];
  stderr(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exited: Promise<string>;
  alive(): boolean;
  /** SIGKILL, and wait until the process is gone. */
  kill9(): Promise<string>;
  /** SIGTERM (graceful), SIGKILL after `ms`. */
  stop(ms?: number): Promise<string>;
}

export function spawnChild(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  let stderr = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (c: string) => (stderr += c));
  createInterface({ input: proc.stdout! }).on('line', (l) => lines.push(l));
  const exited = new Promise<string>((resolve) => {
    proc.once('exit', (code, signal) => resolve(signal ?? String(code)));
    proc.once('error', (err) => resolve(`error: ${err.message}`));
  });
  const alive = (): boolean => proc.exitCode === null && proc.signalCode === null;
  return {
    proc,
    lines,
    stderr: () => stderr,
    exited,
    alive,
    async kill9() {
      if (alive()) proc.kill('SIGKILL');
      return exited;
    },
    async stop(ms = 10_000) {
      if (alive()) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), ms);
      const how = await exited;
      clearTimeout(t);
      return how;
    },
  };
}

/** The built serve entry on a free port, as a user runs it. */
export function spawnServe(codexHome: string, dataDir: string): Child {
  const token = randomBytes(32).toString('hex');
  return spawnChild([
    serveJs,
    '--codex-home',
    codexHome,
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--token',
    token,
  ]);
}

/**
 * Polls `probe` every few ms until it returns a value other than null/undefined/false. Fails with what
 * it waited for (and the child's stderr) when `child` exits first or after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false,
  child: Child | null,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (child && !child.alive())
      throw new Error(`child exited (${await child.exited}) before: ${what}\n${child.stderr()}`);
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}\n${child?.stderr() ?? ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * One value from a SQLite file another process is writing (WAL: this read-only connection sees its
 * committed transactions); null while the file or the table is not there yet.
 */
export function peek(file: string, sql: string, ...params: unknown[]): number | string | null {
  if (!existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    return (
      (db
        .prepare(sql)
        .pluck()
        .get(...params) as number | string | undefined) ?? null
    );
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/**
 * Copies SQLite files as a crashed process left them (main file and WAL, not the shared-memory index)
 * into `to`, so checks and test-only writes never touch the data dir a restarted process will use.
 */
export function snapshotDbs(fromDir: string, to: string, names: readonly string[]): void {
  mkdirSync(to, { recursive: true });
  for (const name of names) {
    for (const suffix of ['', '-wal']) {
      const src = join(fromDir, `${name}${suffix}`);
      if (existsSync(src)) copyFileSync(src, join(to, `${name}${suffix}`));
    }
  }
}

/** One value from a SQLite file no process is using any more (a snapshot, or after a clean exit). */
export function valueIn(file: string, sql: string): number | string | null {
  const db = new Database(file, { fileMustExist: true });
  try {
    return (db.prepare(sql).pluck().get() as number | string | undefined) ?? null;
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` (plus FTS5's own check for `fts` tables) of one file; 'ok' when sound. */
export function integrity(file: string, fts: readonly string[] = []): string {
  const db = new Database(file, { fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const text = rows.map((r) => r.integrity_check).join('; ');
    if (text !== 'ok') return text;
    for (const t of fts) db.prepare(`INSERT INTO ${t} (${t}) VALUES ('integrity-check')`).run();
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  } finally {
    db.close();
  }
}

/** Every file under `dir` (relative paths), or [] when it does not exist. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}
