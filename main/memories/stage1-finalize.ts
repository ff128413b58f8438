import type { Statement } from 'better-sqlite3';
import { perConnection, type Db } from '../state/connection.ts';
import { enqueueGlobalConsolidation } from './global-enqueue.ts';
import { SECONDS_PER_DAY, STAGE1_JOB_KIND } from './memory-constants.ts';

/** The stage-1 result written by the success finaliser (§5.8 step 8). */
export interface Stage1Output {
  /** S: the thread's `updated_at` at claim time. */
  sourceUpdatedAt: number;
  rawMemory: string;
  rolloutSummary: string;
  rolloutSlug: string | null;
}

interface Statements {
  markDone: Statement;
  inputWatermark: Statement;
  upsertOutput: Statement;
  deleteOutput: Statement;
  markFailed: Statement;
  prune: Statement;
  pollute: Statement;
  selectedForPhase2: Statement;
}

/** Every finaliser's guard (§5.9): the row is running and the caller still owns it. */
const OWNED = `kind = @kind AND job_key = @key AND status = 'running' AND ownership_token = @token`;

const statements = perConnection((db): Statements => ({
  markDone: db.prepare(`UPDATE jobs SET status = 'done', finished_at = @now, lease_until = NULL,
      last_error = NULL, last_success_watermark = input_watermark WHERE ${OWNED}`),
  inputWatermark: db.prepare('SELECT input_watermark FROM jobs WHERE kind = ? AND job_key = ?').pluck(),
  upsertOutput: db.prepare(`
      INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary, rollout_slug, generated_at)
      VALUES (@thread, @s, @raw, @summary, @slug, @now)
      ON CONFLICT(thread_id) DO UPDATE SET
        source_updated_at = excluded.source_updated_at,
        raw_memory = excluded.raw_memory,
        rollout_summary = excluded.rollout_summary,
        rollout_slug = excluded.rollout_slug,
        generated_at = excluded.generated_at
      WHERE excluded.source_updated_at >= stage1_outputs.source_updated_at`),
  deleteOutput: db.prepare('DELETE FROM stage1_outputs WHERE thread_id = ?'),
  markFailed: db.prepare(`UPDATE jobs SET status = 'error', finished_at = @now, lease_until = NULL,
      retry_at = @retryAt, retry_remaining = retry_remaining - 1, last_error = @reason WHERE ${OWNED}`),
  prune: db.prepare(`
      DELETE FROM stage1_outputs WHERE thread_id IN (
        SELECT thread_id FROM stage1_outputs
        WHERE selected_for_phase2 = 0 AND COALESCE(last_usage, source_updated_at) < ?
        ORDER BY COALESCE(last_usage, source_updated_at) ASC, source_updated_at ASC, thread_id ASC
        LIMIT ?)`),
  pollute: db.prepare(
    `UPDATE threads SET memory_mode = 'polluted' WHERE id = ? AND memory_mode <> 'polluted'`,
  ),
  selectedForPhase2: db.prepare('SELECT selected_for_phase2 FROM stage1_outputs WHERE thread_id = ?').pluck(),
}));

const owned = (threadId: string, token: string) => ({ kind: STAGE1_JOB_KIND, key: threadId, token });

/**
 * Seed §5.9 `mark_stage1_job_succeeded`, one transaction: the owned running job → `done` with
 * `last_success_watermark = input_watermark`; the output is upserted, replacing a stored row only when
 * the new S is ≥ the stored one (usage and phase-2 selection columns are never touched); then the
 * global consolidation job is enqueued with watermark S. False (nothing changed) when not owned.
 */
export function markStage1JobSucceeded(
  db: Db,
  threadId: string,
  ownershipToken: string,
  output: Stage1Output,
  now: number,
): boolean {
  const s = statements(db);
  const run = db.transaction((): boolean => {
    if (s.markDone.run({ ...owned(threadId, ownershipToken), now }).changes === 0) return false;
    s.upsertOutput.run({
      thread: threadId,
      s: output.sourceUpdatedAt,
      raw: output.rawMemory,
      summary: output.rolloutSummary,
      slug: output.rolloutSlug,
      now,
    });
    enqueueGlobalConsolidation(db, output.sourceUpdatedAt, now);
    return true;
  });
  return run.immediate();
}

/**
 * Seed §5.9 `mark_stage1_job_succeeded_no_output`, one transaction: the same job transition, then the
 * thread's stored output is deleted, and global consolidation is enqueued with the job's
 * `input_watermark` only if a row was actually deleted (#12344).
 */
export function markStage1JobSucceededNoOutput(
  db: Db,
  threadId: string,
  ownershipToken: string,
  now: number,
): boolean {
  const s = statements(db);
  const run = db.transaction((): boolean => {
    if (s.markDone.run({ ...owned(threadId, ownershipToken), now }).changes === 0) return false;
    const watermark = s.inputWatermark.get(STAGE1_JOB_KIND, threadId) as number | null | undefined;
    if (s.deleteOutput.run(threadId).changes > 0) enqueueGlobalConsolidation(db, watermark ?? 0, now);
    return true;
  });
  return run.immediate();
}

/**
 * Seed §5.9 `mark_stage1_job_failed`: the owned running job → `error`, lease cleared,
 * `retry_at = now + max(delay, 0)`, one retry spent, `last_error = reason`.
 */
export function markStage1JobFailed(
  db: Db,
  threadId: string,
  ownershipToken: string,
  reason: string,
  retryDelaySeconds: number,
  now: number,
): boolean {
  const params = {
    ...owned(threadId, ownershipToken),
    now,
    retryAt: now + Math.max(retryDelaySeconds, 0),
    reason,
  };
  return statements(db).markFailed.run(params).changes > 0;
}

/**
 * Seed §5.6 `prune_stage1_outputs_for_retention`: delete up to `limit` unselected stage-1 rows whose
 * last use (or, never used, their snapshot) is older than `maxUnusedDays`, stalest first. Job rows are
 * kept, so their `last_success_watermark` still prevents re-extracting an unchanged thread.
 */
export function pruneStage1OutputsForRetention(
  db: Db,
  maxUnusedDays: number,
  limit: number,
  now: number,
): number {
  if (limit <= 0) return 0;
  return statements(db).prune.run(now - maxUnusedDays * SECONDS_PER_DAY, limit).changes;
}

/**
 * Seed §5.4 `mark_thread_memory_mode_polluted`, one transaction: set `polluted` unless already so; when
 * it changed and the thread's output was part of the last phase-2 selection, enqueue global
 * consolidation with watermark `now` so phase 2 forgets it. Returns whether the mode changed.
 */
export function markThreadMemoryModePolluted(db: Db, threadId: string, now: number): boolean {
  const s = statements(db);
  const run = db.transaction((): boolean => {
    if (s.pollute.run(threadId).changes === 0) return false;
    if (s.selectedForPhase2.get(threadId) === 1) enqueueGlobalConsolidation(db, now, now);
    return true;
  });
  return run.immediate();
}
