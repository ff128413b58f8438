import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { perConnection, type Db } from '../state/connection.ts';
import {
  DEFAULT_RETRY_REMAINING,
  SECONDS_PER_DAY,
  SECONDS_PER_HOUR,
  STAGE1_JOB_KIND,
} from './memory-constants.ts';

/** Seed §5.7 `try_claim_stage1_job` outcomes. */
export type Stage1ClaimOutcome =
  | { kind: 'claimed'; ownershipToken: string }
  | { kind: 'skipped_up_to_date' }
  | { kind: 'skipped_retry_exhausted' }
  | { kind: 'skipped_retry_backoff' }
  | { kind: 'skipped_running' };

export interface TryClaimStage1Params {
  threadId: string;
  /** The thread id of the session running the pipeline. */
  workerId: string;
  /** S: the thread's `updated_at` this extraction covers (becomes the job's `input_watermark`). */
  sourceUpdatedAt: number;
  leaseSeconds: number;
  /** Global cap on fresh running stage-1 jobs (the seed passes `max_rollouts_per_startup`). */
  maxRunningJobs: number;
}

export interface ClaimStage1StartupParams {
  currentThreadId: string;
  scanLimit: number;
  maxClaimed: number;
  maxAgeDays: number;
  minRolloutIdleHours: number;
  /** Exact matches on the stored `threads.source` encoding (§1.5); empty = no source filter (§2.5). */
  allowedSources: readonly string[];
  leaseSeconds: number;
}

/** One claimed stage-1 job with what phase 1 needs to run it (§5.8). */
export interface Stage1Claim {
  threadId: string;
  ownershipToken: string;
  /** The thread's `updated_at` at claim time: the snapshot the success finaliser stores. */
  sourceUpdatedAt: number;
  rolloutPath: string;
  cwd: string;
  updatedAt: number;
}

interface CandidateRow {
  id: string;
  rollout_path: string;
  cwd: string;
  updated_at: number;
}

interface JobRow {
  status: string;
  lease_until: number | null;
  retry_at: number | null;
  retry_remaining: number;
}

interface Statements {
  outputWatermark: Statement;
  lastSuccessWatermark: Statement;
  upsertRunning: Statement;
  readJob: Statement;
}

const statements = perConnection((db): Statements => ({
  outputWatermark: db.prepare('SELECT source_updated_at FROM stage1_outputs WHERE thread_id = ?').pluck(),
  lastSuccessWatermark: db
    .prepare('SELECT last_success_watermark FROM jobs WHERE kind = ? AND job_key = ?')
    .pluck(),
  // The SELECT's WHERE is the insert-path cap (fresh running rows of the kind, this key included);
  // when it yields no row nothing is attempted, which for the update path is implied by (a) + (d).
  upsertRunning: db.prepare(`
      INSERT INTO jobs (kind, job_key, status, worker_id, ownership_token, started_at, finished_at, lease_until,
        retry_at, retry_remaining, last_error, input_watermark, last_success_watermark)
      SELECT @kind, @key, 'running', @worker, @token, @now, NULL, @leaseUntil, NULL, @retries, NULL, @s, NULL
      WHERE (SELECT COUNT(*) FROM jobs WHERE kind = @kind AND status = 'running'
             AND lease_until IS NOT NULL AND lease_until > @now) < @maxRunning
      ON CONFLICT(kind, job_key) DO UPDATE SET
        status = 'running',
        worker_id = excluded.worker_id,
        ownership_token = excluded.ownership_token,
        started_at = excluded.started_at,
        finished_at = NULL,
        lease_until = excluded.lease_until,
        retry_at = NULL,
        retry_remaining = CASE WHEN excluded.input_watermark > COALESCE(jobs.input_watermark, -1)
          THEN excluded.retry_remaining ELSE jobs.retry_remaining END,
        last_error = NULL,
        input_watermark = excluded.input_watermark
      WHERE (jobs.status <> 'running' OR jobs.lease_until IS NULL OR jobs.lease_until <= @now)
        AND (jobs.retry_at IS NULL OR jobs.retry_at <= @now
             OR excluded.input_watermark > COALESCE(jobs.input_watermark, -1))
        AND (jobs.retry_remaining > 0 OR excluded.input_watermark > jobs.input_watermark)
        AND (SELECT COUNT(*) FROM jobs AS others WHERE others.kind = @kind AND others.status = 'running'
             AND others.lease_until > @now AND others.job_key <> @key) < @maxRunning`),
  readJob: db.prepare(
    'SELECT status, lease_until, retry_at, retry_remaining FROM jobs WHERE kind = ? AND job_key = ?',
  ),
}));

/** Step 5 of §5.7: why a claim that changed no row was refused. */
function refusal(row: JobRow | undefined, now: number): Stage1ClaimOutcome {
  if (!row) return { kind: 'skipped_running' };
  if (row.retry_remaining <= 0) return { kind: 'skipped_retry_exhausted' };
  if (row.retry_at !== null && row.retry_at > now) return { kind: 'skipped_retry_backoff' };
  // Fresh running lease, global cap reached, or anything else: all reported as running.
  return { kind: 'skipped_running' };
}

/**
 * Seed §5.7 `try_claim_stage1_job`, steps 1–5 in one `BEGIN IMMEDIATE` transaction: skip when the stored
 * output or the last success already covers S; otherwise upsert the job row to `running` with a fresh
 * ownership token, subject to the global running cap, lease, backoff and retry-budget rules (a newer S
 * overrides backoff and an exhausted budget, and refills the budget to 3).
 */
export function tryClaimStage1Job(db: Db, p: TryClaimStage1Params, now: number): Stage1ClaimOutcome {
  const s = statements(db);
  const run = db.transaction((): Stage1ClaimOutcome => {
    const stored = s.outputWatermark.get(p.threadId) as number | undefined;
    if (stored !== undefined && stored >= p.sourceUpdatedAt) return { kind: 'skipped_up_to_date' };
    const lastSuccess = s.lastSuccessWatermark.get(STAGE1_JOB_KIND, p.threadId) as number | null | undefined;
    if (lastSuccess != null && lastSuccess >= p.sourceUpdatedAt) return { kind: 'skipped_up_to_date' };

    const ownershipToken = randomUUID();
    const changed = s.upsertRunning.run({
      kind: STAGE1_JOB_KIND,
      key: p.threadId,
      worker: p.workerId,
      token: ownershipToken,
      now,
      leaseUntil: now + Math.max(p.leaseSeconds, 0),
      retries: DEFAULT_RETRY_REMAINING,
      s: p.sourceUpdatedAt,
      maxRunning: p.maxRunningJobs,
    }).changes;
    if (changed > 0) return { kind: 'claimed', ownershipToken };
    return refusal(s.readJob.get(STAGE1_JOB_KIND, p.threadId) as JobRow | undefined, now);
  });
  return run.immediate();
}

/**
 * Seed §5.7 candidate query: the §2.5 listing filters (not archived, a first user message, source in
 * the allowed set), `memory_mode = 'enabled'`, not the current thread, `updated_at` within
 * [now − maxAgeDays, now − minRolloutIdleHours], and memory stale against both the stored output and
 * the job's last success; newest first, at most `scanLimit` rows.
 */
export function listStage1Candidates(db: Db, p: ClaimStage1StartupParams, now: number): CandidateRow[] {
  if (p.scanLimit <= 0) return [];
  const sources = p.allowedSources;
  const sourceFilter = sources.length > 0 ? `AND t.source IN (${sources.map(() => '?').join(', ')})` : '';
  // Prepared per call: the IN list's arity varies, and this runs once per startup.
  const stmt = db.prepare(`
    SELECT t.id, t.rollout_path, t.cwd, t.updated_at
    FROM threads t
    LEFT JOIN stage1_outputs o ON o.thread_id = t.id
    LEFT JOIN jobs j ON j.kind = ? AND j.job_key = t.id
    WHERE t.archived = 0
      AND t.first_user_message <> ''
      ${sourceFilter}
      AND t.memory_mode = 'enabled'
      AND t.id <> ?
      AND t.updated_at >= ?
      AND t.updated_at <= ?
      AND COALESCE(o.source_updated_at, -1) < t.updated_at
      AND COALESCE(j.last_success_watermark, -1) < t.updated_at
    ORDER BY t.updated_at DESC, t.id DESC
    LIMIT ?`);
  return stmt.all(
    STAGE1_JOB_KIND,
    ...sources,
    p.currentThreadId,
    now - p.maxAgeDays * SECONDS_PER_DAY,
    now - p.minRolloutIdleHours * SECONDS_PER_HOUR,
    p.scanLimit,
  ) as CandidateRow[];
}

/**
 * Seed §5.7 `claim_stage1_jobs_for_startup`: try to claim each candidate in order (worker = current
 * thread, S = its `updated_at`, running cap = `maxClaimed`) until `maxClaimed` claims were obtained.
 */
export function claimStage1JobsForStartup(db: Db, p: ClaimStage1StartupParams, now: number): Stage1Claim[] {
  if (p.scanLimit <= 0 || p.maxClaimed <= 0) return [];
  const claims: Stage1Claim[] = [];
  for (const c of listStage1Candidates(db, p, now)) {
    if (claims.length >= p.maxClaimed) break;
    const outcome = tryClaimStage1Job(
      db,
      {
        threadId: c.id,
        workerId: p.currentThreadId,
        sourceUpdatedAt: c.updated_at,
        leaseSeconds: p.leaseSeconds,
        maxRunningJobs: p.maxClaimed,
      },
      now,
    );
    if (outcome.kind !== 'claimed') continue;
    claims.push({
      threadId: c.id,
      ownershipToken: outcome.ownershipToken,
      sourceUpdatedAt: c.updated_at,
      rolloutPath: c.rollout_path,
      cwd: c.cwd,
      updatedAt: c.updated_at,
    });
  }
  return claims;
}
