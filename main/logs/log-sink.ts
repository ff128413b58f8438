import type { Db } from '../state/connection.ts';
import { DEFAULT_LOG_CAPS, type LogCaps } from './log-caps.ts';
import type { LogRow } from './log-entry.ts';
import { LogInserter } from './log-inserter.ts';

/**
 * Where a LogWriter's batches go: straight into SQLite on this thread, or to the logs worker. Rows
 * handed off but not yet committed count against the writer's queue capacity (`inFlight`).
 */
export interface LogSink {
  /**
   * Writes one batch now, or hands it off; throws when it cannot (the caller counts the batch lost).
   * `carried`: how many earlier dropped rows this batch's last row reports, so a batch that fails
   * after hand-off is counted as what it stood for.
   */
  write(rows: LogRow[], carried?: number): void;
  readonly inFlight: number;
  /** Rows that were handed off and then failed to commit since the last call. */
  takeLost(): number;
  /** Resolves once every batch written before the call is committed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Writes each batch in its own transaction on the calling thread. */
export function inlineLogSink(
  db: Db,
  caps: LogCaps | null = DEFAULT_LOG_CAPS,
  onCommit?: () => void,
): LogSink {
  const inserter = new LogInserter(db, caps);
  return {
    write(rows) {
      inserter.insert(rows);
      onCommit?.();
    },
    inFlight: 0,
    takeLost: () => 0,
    settle: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
