import type { Db } from '../state/connection.ts';
import { DEFAULT_LOG_CAPS, LogCapEnforcer, type LogCaps } from './log-caps.ts';
import type { LogRow } from './log-entry.ts';

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
