import { join } from 'node:path';
import { logsMigrations } from '../../migrations/index.ts';
import { openDatabase, type Db } from '../state/connection.ts';
import { migrate } from '../state/migrate.ts';
import { DEFAULT_LOG_CAPS, LogCapEnforcer, type LogCaps } from './log-caps.ts';
import type { LogRow } from './log-entry.ts';

/** Seed §4: `logs_<version>.sqlite`. */
export const LOGS_DB_VERSION = 1;
export const logsDbFileName = `logs_${LOGS_DB_VERSION}.sqlite`;

/** Opens (creating and migrating) `<dataDir>/logs_1.sqlite`: WAL, synchronous NORMAL, 5 s busy timeout. */
export function openLogsDb(dataDir: string): Db {
  const db = openDatabase(join(dataDir, logsDbFileName));
  try {
    migrate(db, logsMigrations, 'logs');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

const COLUMNS =
  'ts, ts_nanos, level, target, message, module_path, file, line, thread_id, process_uuid, estimated_bytes';
const ROW_PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * Seed §4.4 `insert_logs`: one transaction per batch (insert, then prune the touched partitions, then
 * commit), so readers never see a partition over its caps. Rows get ids in the order given.
 */
export class LogInserter {
  private readonly one;
  private readonly caps: LogCapEnforcer | null;
  private readonly tx;

  /** `caps: null` inserts without caps (the benchmark's baseline). */
  constructor(db: Db, caps: LogCaps | null = DEFAULT_LOG_CAPS) {
    this.one = db.prepare(`INSERT INTO logs (${COLUMNS}) VALUES ${ROW_PLACEHOLDERS}`);
    this.caps = caps ? new LogCapEnforcer(db, caps) : null;
    this.tx = db.transaction((rows: readonly LogRow[]) => {
      for (const r of rows)
        this.one.run(
          r.ts,
          r.tsNanos,
          r.level,
          r.target,
          r.message,
          r.modulePath,
          r.file,
          r.line,
          r.threadId,
          r.processUuid,
          r.estimatedBytes,
        );
      this.caps?.apply(rows);
    });
  }

  insert(rows: readonly LogRow[]): void {
    if (rows.length > 0) this.tx(rows);
  }
}
