import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { codexSqliteHome } from '../core/codex-config.ts';
import { openDatabase, type Db } from '../state/connection.ts';
import { LogReader } from './log-reader.ts';
import { readLogTableShape } from './log-table.ts';

const LOGS_FILE = /^logs_(\d+)\.sqlite$/;

/** `logs_N.sqlite` with the highest N in `dir` (seed §1: `<base>_<version>.sqlite`), or null. */
export function findCodexLogsDb(dir: string): string | null {
  let best: { n: number; name: string } | null = null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names) {
    const m = LOGS_FILE.exec(name);
    if (!m) continue;
    const n = Number(m[1]);
    if (!best || n > best.n) best = { n, name };
  }
  return best ? join(dir, best.name) : null;
}

export type CodexLogsState =
  | { available: true; path: string; reader: LogReader; notice: string | null }
  | { available: false; path: string; notice: string };

interface Open {
  path: string;
  /** Identity of the file when opened: Codex replaces it on a version bump or reset. */
  ino: number;
  db: Db;
  reader: LogReader;
}

/**
 * Codex's own logs DB, strictly read-only: opened with SQLITE_OPEN_READONLY (never a write lock, never
 * a checkpoint, never a WAL reset), each query a short read transaction, so Codex's writer is never
 * blocked; a busy moment waits on the busy timeout instead of failing. Re-located on `refresh()` so a
 * DB that appears later, or a newer `logs_N`, is picked up without a restart.
 */
export class CodexLogs {
  private open: Open | null = null;
  private lastError: { path: string; message: string } | null = null;
  private readonly codexHome: string;

  constructor(codexHome: string) {
    this.codexHome = codexHome;
  }

  /** Where the DB is looked for (Codex's sqlite home). */
  dir(): string {
    return codexSqliteHome(this.codexHome);
  }

  /** Re-checks which file is current; reopens when it changed. Cheap: one readdir and one stat. */
  refresh(): CodexLogsState {
    const dir = this.dir();
    const path = findCodexLogsDb(dir);
    if (!path) {
      this.close();
      return {
        available: false,
        path: join(dir, 'logs_1.sqlite'),
        notice: `Codex's logs database was not found in ${dir}. Recent Codex versions write logs_1.sqlite there while they run.`,
      };
    }
    let ino: number;
    try {
      ino = statSync(path).ino;
    } catch (err) {
      this.close();
      return { available: false, path, notice: `Cannot read ${path}: ${(err as Error).message}` };
    }
    if (this.open && (this.open.path !== path || this.open.ino !== ino)) this.close();
    if (!this.open) {
      try {
        const db = openDatabase(path, { readonly: true });
        try {
          this.open = { path, ino, db, reader: new LogReader(db, readLogTableShape(db)) };
        } catch (err) {
          db.close();
          throw err;
        }
        this.lastError = null;
      } catch (err) {
        this.lastError = { path, message: (err as Error).message };
      }
    }
    if (!this.open) {
      return {
        available: false,
        path,
        notice: `Codex's logs database ${path} cannot be read: ${this.lastError?.message ?? 'unknown error'}`,
      };
    }
    const missing = this.open.reader.shape.missing;
    return {
      available: true,
      path,
      reader: this.open.reader,
      notice:
        missing.length > 0
          ? `This Codex logs database has no ${missing.join(', ')} column${missing.length === 1 ? '' : 's'}: filters on ${missing.length === 1 ? 'it' : 'them'} match nothing.`
          : null,
    };
  }

  close(): void {
    this.open?.db.close();
    this.open = null;
  }
}
