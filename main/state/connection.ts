import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../core/app-error.ts';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Milliseconds a writer waits for the lock before SQLITE_BUSY (seed: 5 s). */
  busyTimeoutMs?: number;
}

/** Open a SQLite file with the seed's connection settings (§1.2): WAL, NORMAL, FKs on, 5 s busy timeout. */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (!opts.readonly) mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (err) {
    throw new AppError('IO_ERROR', `Cannot open database ${file}: ${(err as Error).message}`, [file]);
  }
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // Reads dominate (thread list, transcript lookups): a larger page cache and mmap cut tail latency.
    db.pragma('cache_size = -32000');
    db.pragma('mmap_size = 268435456');
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new AppError(
        'IO_ERROR',
        `${file} is not a usable SQLite database (${code}). Move it aside and Threadscope will rebuild it from your rollouts.`,
        [file],
      );
    }
    throw err;
  }
  return db;
}

/**
 * `make(db)` once per connection, then the same value: statements are prepared on first use and reused
 * by every later call on that connection (and dropped with it).
 */
export function perConnection<T>(make: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) {
      value = make(db);
      made.set(db, value);
    }
    return value;
  };
}
