import type { Statement } from 'better-sqlite3';
import { perConnection, type Db } from '../state/connection.ts';
import { DEFAULT_RETRY_REMAINING, GLOBAL_JOB_KEY, GLOBAL_JOB_KIND } from './memory-constants.ts';

const enqueueStatement = perConnection((db): Statement =>
  db.prepare(`
      INSERT INTO jobs (kind, job_key, status, worker_id, ownership_token, started_at, finished_at, lease_until,
        retry_at, retry_remaining, last_error, input_watermark, last_success_watermark)
      VALUES (@kind, @key, 'pending', NULL, NULL, NULL, NULL, NULL, NULL, @retries, NULL, @watermark, 0)
      ON CONFLICT(kind, job_key) DO UPDATE SET
        status = CASE WHEN jobs.status = 'running' THEN 'running' ELSE 'pending' END,
        retry_at = CASE WHEN jobs.status = 'running' THEN jobs.retry_at ELSE NULL END,
        retry_remaining = max(jobs.retry_remaining, excluded.retry_remaining),
        input_watermark = CASE
          WHEN excluded.input_watermark > COALESCE(jobs.input_watermark, 0) THEN excluded.input_watermark
          ELSE COALESCE(jobs.input_watermark, 0) + 1
        END`),
);

/**
 * Seed §5.10 "Enqueue(W)": upsert the global consolidation job (`memory_consolidate_global` / `global`).
 * A new row is `pending` with `retry_remaining = 3`, `input_watermark = W`, `last_success_watermark = 0`.
 * An existing row stays `running` if running (keeping its `retry_at`), else becomes `pending` with
 * `retry_at` cleared; the budget is refilled to at least 3; the watermark becomes W when it is newer,
 * else the stored one + 1, so every enqueue makes the job dirty even for back-dated inputs.
 *
 * A single statement: callers run it inside their own transaction (the stage-1 finalisers, the
 * pollution mark). `_now` is accepted for the uniform "every memories DB call takes now" shape; the
 * seed's enqueue writes no timestamp.
 */
export function enqueueGlobalConsolidation(db: Db, watermark: number, _now?: number): void {
  enqueueStatement(db).run({
    kind: GLOBAL_JOB_KIND,
    key: GLOBAL_JOB_KEY,
    retries: DEFAULT_RETRY_REMAINING,
    watermark,
  });
}
