import type { LogCaps } from './log-caps.ts';
import type { LogRow } from './log-entry.ts';

/** workerData of logs-worker: the logs DB (already migrated by main) and the caps it enforces. */
export interface LogsWorkerInit {
  dbFile: string;
  caps: LogCaps | null;
  /** Largest transaction when batches queue up behind a write (group commit). */
  maxTxRows: number;
  /** Start-up retention (seed §4.3) run by the worker before its first write; null skips it. */
  retentionDays: number | null;
}

/** A batch is at most the writer's batch size (128 rows, ~50 KB): cloning it costs a fraction of a millisecond. */
export type ToLogsWorker =
  | { type: 'rows'; seq: number; rows: LogRow[] }
  | { type: 'settle'; id: number }
  | { type: 'close'; id: number };

export type FromLogsWorker =
  | { type: 'ready' }
  /** Batches up to `seq` are done: `failed` lists the ones whose transaction failed. */
  | { type: 'written'; seq: number; rows: number; failed: number[]; maxId: number; error: string | null }
  | { type: 'settled'; id: number };

/** Rows per transaction when the worker has a backlog (measured: ~2x the throughput of 128-row transactions). */
export const LOG_WORKER_MAX_TX_ROWS = 1_024;
