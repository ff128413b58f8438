import Database from 'better-sqlite3';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { openLogsDb } from '../logs/logs-db.ts';
import type { Db } from '../state/connection.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { runCli } from './cli.ts';

export interface Out {
  write: (s: string) => void;
  text: () => string;
  lines: () => string[];
  isTTY?: boolean;
}

/** A stdout/stderr stand-in; `isTTY` set only when given. */
export function capture(isTTY?: boolean): Out {
  let buf = '';
  return {
    write: (s: string) => void (buf += s),
    text: () => buf,
    lines: () => buf.split('\n').filter(Boolean),
    ...(isTTY === undefined ? {} : { isTTY }),
  };
}

export interface Row {
  ms: number;
  level?: string;
  target?: string;
  message?: string | null;
  modulePath?: string | null;
  threadId?: string | null;
  processUuid?: string | null;
}

/** Inserts rows into whatever columns this `logs` table has. */
export function insert(db: Db, rows: readonly Row[]): void {
  const cols = new Set(db.prepare("SELECT name FROM pragma_table_info('logs')").pluck().all() as string[]);
  const all = ['ts', 'ts_nanos', 'level', 'target', 'message', 'module_path', 'thread_id', 'process_uuid'];
  const use = all.filter((c) => cols.has(c));
  const stmt = db.prepare(`INSERT INTO logs (${use.join(', ')}) VALUES (${use.map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (const r of rows) {
      const ts = Math.floor(r.ms / 1000);
      const v: Record<string, unknown> = {
        ts,
        ts_nanos: (r.ms - ts * 1000) * 1_000_000,
        level: r.level ?? 'INFO',
        target: r.target ?? 'threadscope::test',
        message: r.message === undefined ? 'hello' : r.message,
        module_path: r.modulePath ?? null,
        thread_id: r.threadId ?? null,
        process_uuid: r.processUuid ?? null,
      };
      stmt.run(...use.map((c) => v[c]));
    }
  })();
}

/** Codex's `logs` table and indexes (seed §4.1): our migration without its partition-usage table. */
export const SEED_LOGS_SCHEMA = readFileSync(
  join(import.meta.dirname, '../../migrations/logs/0001_logs.sql'),
  'utf8',
).split('CREATE TABLE log_partition_usage')[0] as string;

/** A Codex-style logs DB built at a temp name and renamed into place (never seen half-made). */
export function codexDb(dir: string, rows: readonly Row[], schema = SEED_LOGS_SCHEMA): void {
  const tmp = join(dir, 'building.sqlite');
  const db = new Database(tmp);
  db.exec(schema);
  insert(db, rows);
  db.close();
  renameSync(tmp, join(dir, 'logs_1.sqlite'));
}

/** `runCli(['logs', …])` with captured output. */
export async function runLogsCli(
  argv: string[],
  out = capture(),
  opts: Parameters<typeof runCli>[4] = {},
): Promise<{ code: number; out: string; lines: string[]; err: string }> {
  const err = capture();
  const code = await runCli(['logs', ...argv], out, err, null, opts);
  return { code, out: out.text(), lines: out.lines(), err: err.text() };
}

/** 2026-03-01T10:00:00.123Z */
export const T0 = Date.UTC(2026, 2, 1, 10, 0, 0, 123);

/** The message part of full-format lines. */
export const messages = (lines: string[]): string[] => lines.map((l) => l.split(' - ').at(-1) as string);

/** Per-test CODEX_HOME and data dirs (registers the afterEach), and our own logs DB in a fresh data dir. */
export function logsCliDirs(): {
  cleanups: (() => void | Promise<void>)[];
  dirs: () => { home: string; data: string };
  appLogs: () => { home: string; data: string; db: Db };
} {
  const { cleanups, dirs } = perTestDirs();
  const appLogs = (): { home: string; data: string; db: Db } => {
    const d = dirs();
    const db = openLogsDb(d.data);
    cleanups.push(() => void db.close());
    return { ...d, db };
  };
  return { cleanups, dirs, appLogs };
}
