import { randomUUID } from 'node:crypto';
import { perConnection, type Db } from '../state/connection.ts';
import { GLOBAL_JOB_KEY, GLOBAL_JOB_KIND } from './memory-constants.ts';

/**
 * Seed §5.10, the DB side of the global (phase-2) consolidation job: the single `jobs` row
 * `(memory_consolidate_global, global)`. Enqueue lives in `global-enqueue.ts`; this file claims,
 * heartbeats and finalises it. Every function takes `now` (epoch seconds) so callers and tests set time.
 */

export type GlobalClaimOutcome =
  | { kind: 'claimed'; ownershipToken: string; inputWatermark: number }
  | { kind: 'skipped_not_dirty' }
  | { kind: 'skipped_running' };

/** The stage-1 snapshot a successful phase 2 consumed (§5.10 Succeed `selected_outputs`). */
export interface SelectedSnapshot {
  threadId: string;
  sourceUpdatedAt: number;
}

export interface GlobalJobRow {
  status: string;
  workerId: string | null;
  ownershipToken: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  leaseUntil: number | null;
  retryAt: number | null;
  retryRemaining: number;
  lastError: string | null;
  inputWatermark: number | null;
  lastSuccessWatermark: number | null;
}

interface RawJobRow {
  status: string;
  worker_id: string | null;
  ownership_token: string | null;
  started_at: number | null;
  finished_at: number | null;
  lease_until: number | null;
  retry_at: number | null;
  retry_remaining: number;
  last_error: string | null;
  input_watermark: number | null;
  last_success_watermark: number | null;
}

const KEY = `kind = '${GLOBAL_JOB_KIND}' AND job_key = '${GLOBAL_JOB_KEY}'`;

/** `retry_remaining −= 1` as the seed states (no clamp); shared by Fail and Fail-if-unowned. */
const FAIL_SET = `status = 'error', finished_at = @now, lease_until = NULL, retry_at = @retryAt,
  retry_remaining = retry_remaining - 1, last_error = @reason`;

function prepare(db: Db) {
  return {
    read: db.prepare<[], RawJobRow>(`SELECT * FROM jobs WHERE ${KEY}`),
    // The same conditions as the reads in claimGlobalJob, re-checked by the write itself.
    claim: db.prepare(`UPDATE jobs SET status = 'running', worker_id = @worker, ownership_token = @token,
        started_at = @now, finished_at = NULL, lease_until = @leaseUntil, retry_at = NULL, last_error = NULL
      WHERE ${KEY}
        AND COALESCE(input_watermark, 0) > COALESCE(last_success_watermark, 0)
        AND retry_remaining > 0
        AND (retry_at IS NULL OR retry_at <= @now)
        AND (status <> 'running' OR lease_until IS NULL OR lease_until <= @now)`),
    heartbeat: db.prepare(`UPDATE jobs SET lease_until = @leaseUntil
      WHERE ${KEY} AND status = 'running' AND ownership_token = @token`),
    succeed:
      db.prepare(`UPDATE jobs SET status = 'done', finished_at = @now, lease_until = NULL, last_error = NULL,
        last_success_watermark = max(COALESCE(last_success_watermark, 0), @completed)
      WHERE ${KEY} AND status = 'running' AND ownership_token = @token`),
    clearSelection: db.prepare(`UPDATE stage1_outputs
      SET selected_for_phase2 = 0, selected_for_phase2_source_updated_at = NULL
      WHERE selected_for_phase2 <> 0 OR selected_for_phase2_source_updated_at IS NOT NULL`),
    markSelected: db.prepare(`UPDATE stage1_outputs
      SET selected_for_phase2 = 1, selected_for_phase2_source_updated_at = @sourceUpdatedAt
      WHERE thread_id = @threadId AND source_updated_at = @sourceUpdatedAt`),
    fail: db.prepare(`UPDATE jobs SET ${FAIL_SET}
      WHERE ${KEY} AND status = 'running' AND ownership_token = @token`),
    failIfUnowned: db.prepare(`UPDATE jobs SET ${FAIL_SET}
      WHERE ${KEY} AND status = 'running' AND (ownership_token = @token OR ownership_token IS NULL)`),
  };
}

/** Statements are prepared once per connection. */
const stmts = perConnection(prepare);

/** Negative leases and delays count as 0, as in Codex (`max(0)`). */
const plus = (now: number, seconds: number): number => now + Math.max(0, seconds);

/** The global job row, or null before the first enqueue. */
export function readGlobalJob(db: Db): GlobalJobRow | null {
  const r = stmts(db).read.get();
  if (!r) return null;
  return {
    status: r.status,
    workerId: r.worker_id,
    ownershipToken: r.ownership_token,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    leaseUntil: r.lease_until,
    retryAt: r.retry_at,
    retryRemaining: r.retry_remaining,
    lastError: r.last_error,
    inputWatermark: r.input_watermark,
    lastSuccessWatermark: r.last_success_watermark,
  };
}

/**
 * §5.10 Claim(worker, lease), in one BEGIN IMMEDIATE transaction. Exhausted retries and an active
 * backoff are reported as `skipped_not_dirty`, as the seed does. The returned `inputWatermark` is the
 * snapshot at claim time; pass it to {@link succeedGlobalJob} as the completed watermark.
 */
export function claimGlobalJob(
  db: Db,
  workerId: string,
  leaseSeconds: number,
  now: number,
): GlobalClaimOutcome {
  const s = stmts(db);
  return db
    .transaction((): GlobalClaimOutcome => {
      const row = s.read.get();
      if (!row) return { kind: 'skipped_not_dirty' };
      const inputWatermark = row.input_watermark ?? 0;
      if (inputWatermark <= (row.last_success_watermark ?? 0)) return { kind: 'skipped_not_dirty' };
      if (row.retry_remaining <= 0) return { kind: 'skipped_not_dirty' };
      if (row.retry_at !== null && row.retry_at > now) return { kind: 'skipped_not_dirty' };
      if (row.status === 'running' && row.lease_until !== null && row.lease_until > now) {
        return { kind: 'skipped_running' };
      }
      const ownershipToken = randomUUID();
      const changed = s.claim.run({
        worker: workerId,
        token: ownershipToken,
        now,
        leaseUntil: plus(now, leaseSeconds),
      }).changes;
      return changed === 0
        ? { kind: 'skipped_running' }
        : { kind: 'claimed', ownershipToken, inputWatermark };
    })
    .immediate();
}

/** §5.10 Heartbeat: extends the lease of the owner's running row; false when ownership was lost. */
export function heartbeatGlobalJob(
  db: Db,
  ownershipToken: string,
  leaseSeconds: number,
  now: number,
): boolean {
  return stmts(db).heartbeat.run({ token: ownershipToken, leaseUntil: plus(now, leaseSeconds) }).changes > 0;
}

/**
 * §5.10 Succeed, in one transaction: the owned running row → `done` with
 * `last_success_watermark = max(existing, completed)`; then the phase-2 baseline is rewritten: every
 * `selected_for_phase2` flag and snapshot is cleared, and each selected output is re-marked only where
 * the stored row still has that exact `source_updated_at` (a row regenerated meanwhile stays unmarked).
 * Returns false, changing nothing, when the caller no longer owns the job.
 */
export function succeedGlobalJob(
  db: Db,
  ownershipToken: string,
  completedWatermark: number,
  selected: readonly SelectedSnapshot[],
  now: number,
): boolean {
  const s = stmts(db);
  return db.transaction((): boolean => {
    const owned = s.succeed.run({ token: ownershipToken, completed: completedWatermark, now }).changes > 0;
    if (!owned) return false;
    s.clearSelection.run();
    for (const o of selected)
      s.markSelected.run({ threadId: o.threadId, sourceUpdatedAt: o.sourceUpdatedAt });
    return true;
  })();
}

/**
 * §5.10 Fail: the owned running row → `error`, lease cleared, `retry_at = now + delay`,
 * `retry_remaining − 1`, `last_error = reason`. Like Codex (and the stage-1 finaliser) it also stamps
 * `finished_at = now`. Returns false when the caller no longer owns the job.
 */
export function failGlobalJob(
  db: Db,
  ownershipToken: string,
  reason: string,
  delaySeconds: number,
  now: number,
): boolean {
  return (
    stmts(db).fail.run({ token: ownershipToken, reason, now, retryAt: plus(now, delaySeconds) }).changes > 0
  );
}

/**
 * §5.10 Fail-if-unowned: the same transition, matching `ownership_token = token OR ownership_token IS
 * NULL` so a stuck running row without an owner is recovered. Call it only after {@link failGlobalJob}
 * returned false.
 */
export function failGlobalJobIfUnowned(
  db: Db,
  ownershipToken: string,
  reason: string,
  delaySeconds: number,
  now: number,
): boolean {
  return (
    stmts(db).failIfUnowned.run({ token: ownershipToken, reason, now, retryAt: plus(now, delaySeconds) })
      .changes > 0
  );
}
