import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ThreadMeta } from '../rollouts/types.ts';
import { openDatabase, type Db } from '../state/connection.ts';
import { openStateDb, stateDbFileName } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { PHASE1_ALLOWED_SOURCES, type MemoryMode } from './memory-constants.ts';
import { markStage1JobFailed, markStage1JobSucceededNoOutput } from './stage1-finalize.ts';
import {
  claimStage1JobsForStartup,
  listStage1Candidates,
  tryClaimStage1Job,
  type ClaimStage1StartupParams,
  type Stage1ClaimOutcome,
  type TryClaimStage1Params,
} from './stage1-jobs.ts';

const NOW = 1_772_400_000;
const HOUR = 3600;
const DAY = 86_400;
const CURRENT = '00000000-0000-7000-8000-ffffffffffff';
/** Comfortably inside the default window: idle 6 h, at most 30 days old. */
const IDLE = NOW - 7 * HOUR;

let db: Db;
let dir: string;
let cleanup: () => void;
const extraDbs: Db[] = [];
beforeEach(() => {
  const t = makeTempDir();
  dir = t.dir;
  cleanup = t.cleanup;
  db = openStateDb(dir);
});
afterEach(() => {
  for (const d of extraDbs.splice(0)) d.close();
  db.close();
  cleanup();
});

const id = (n: number): string => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

function addThread(over: Partial<ThreadMeta> & { id: string }, memoryMode: MemoryMode = 'enabled'): string {
  createThreadRepo(db).upsert({ meta: makeMeta({ updatedAt: IDLE, ...over }), memoryMode, dynamicTools: [] });
  return over.id;
}

interface JobRow {
  status: string;
  worker_id: string | null;
  ownership_token: string | null;
  lease_until: number | null;
  retry_at: number | null;
  retry_remaining: number;
  input_watermark: number | null;
  last_success_watermark: number | null;
}
const jobRow = (key: string, on: Db = db): JobRow | undefined =>
  on.prepare(`SELECT * FROM jobs WHERE kind = 'memory_stage1' AND job_key = ?`).get(key) as
    JobRow | undefined;
const freshRunning = (now: number): number =>
  db
    .prepare(
      `SELECT COUNT(*) FROM jobs WHERE kind = 'memory_stage1' AND status = 'running' AND lease_until > ?`,
    )
    .pluck()
    .get(now) as number;

const params: ClaimStage1StartupParams = {
  currentThreadId: CURRENT,
  scanLimit: 5000,
  maxClaimed: 16,
  maxAgeDays: 30,
  minRolloutIdleHours: 6,
  allowedSources: PHASE1_ALLOWED_SOURCES,
  leaseSeconds: 3600,
};
const candidateIds = (over: Partial<ClaimStage1StartupParams> = {}, now = NOW): string[] =>
  listStage1Candidates(db, { ...params, ...over }, now).map((c) => c.id);

function claim(
  threadId: string,
  s: number,
  now: number,
  over: Partial<TryClaimStage1Params> = {},
  on: Db = db,
): Stage1ClaimOutcome {
  const p = {
    threadId,
    workerId: CURRENT,
    sourceUpdatedAt: s,
    leaseSeconds: 3600,
    maxRunningJobs: 16,
    ...over,
  };
  return tryClaimStage1Job(on, p, now);
}
function token(outcome: Stage1ClaimOutcome): string {
  if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
  return outcome.ownershipToken;
}

describe('phase-1 candidates (seed §5.7)', () => {
  it('includes threads exactly at the idle and age bounds and excludes one second past them', () => {
    addThread({ id: id(1), updatedAt: NOW - 6 * HOUR });
    addThread({ id: id(2), updatedAt: NOW - 6 * HOUR + 1 });
    addThread({ id: id(3), updatedAt: NOW - 30 * DAY });
    addThread({ id: id(4), updatedAt: NOW - 30 * DAY - 1 });
    expect(candidateIds()).toEqual([id(1), id(3)]);
  });

  it('applies the listing filters, memory mode and the current-thread exclusion', () => {
    addThread({ id: id(1), source: 'cli' });
    addThread({ id: id(2), source: 'vscode' });
    addThread({ id: id(3), archived: true, archivedAt: IDLE });
    addThread({ id: id(4), firstUserMessage: '' });
    addThread({ id: id(5), source: 'exec' });
    addThread({ id: id(6), source: '{"subagent":"review"}' });
    addThread({ id: id(7) }, 'disabled');
    addThread({ id: id(8) }, 'polluted');
    addThread({ id: CURRENT });
    expect(candidateIds().sort()).toEqual([id(1), id(2)]);
    // §2.5: an empty source list means no source filter.
    expect(candidateIds({ allowedSources: [] }).sort()).toEqual([id(1), id(2), id(5), id(6)]);
  });

  it('skips threads whose stored output or last success already covers updated_at', () => {
    for (const n of [1, 2, 3, 4]) addThread({ id: id(n), updatedAt: IDLE });
    const output = db.prepare(`INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory,
      rollout_summary, generated_at) VALUES (?, ?, 'raw', 'summary', ?)`);
    output.run(id(1), IDLE, NOW);
    output.run(id(2), IDLE - 1, NOW);
    const job = db.prepare(`INSERT INTO jobs (kind, job_key, status, retry_remaining, input_watermark,
      last_success_watermark) VALUES ('memory_stage1', ?, 'done', 3, ?, ?)`);
    job.run(id(3), IDLE, IDLE);
    job.run(id(4), IDLE - 1, IDLE - 1);
    expect(candidateIds().sort()).toEqual([id(2), id(4)]);
  });

  it('orders by updated_at DESC, id DESC and stops at the scan limit', () => {
    addThread({ id: id(1), updatedAt: IDLE - 10 });
    addThread({ id: id(2), updatedAt: IDLE });
    addThread({ id: id(3), updatedAt: IDLE });
    expect(candidateIds()).toEqual([id(3), id(2), id(1)]);
    expect(candidateIds({ scanLimit: 2 })).toEqual([id(3), id(2)]);
  });
});

describe('claim_stage1_jobs_for_startup (seed §5.7)', () => {
  it('claims the newest candidates up to maxClaimed and returns what phase 1 needs', () => {
    for (let n = 1; n <= 5; n += 1) addThread({ id: id(n), updatedAt: IDLE + n, cwd: `/work/p${n}` });
    const claims = claimStage1JobsForStartup(db, { ...params, maxClaimed: 2 }, NOW);
    expect(claims.map((c) => c.threadId)).toEqual([id(5), id(4)]);
    expect(claims[0]).toMatchObject({ sourceUpdatedAt: IDLE + 5, updatedAt: IDLE + 5, cwd: '/work/p5' });
    expect(claims[0]?.rolloutPath).toContain(id(5));
    expect(jobRow(id(5))).toMatchObject({
      status: 'running',
      worker_id: CURRENT,
      ownership_token: claims[0]?.ownershipToken,
      lease_until: NOW + 3600,
      retry_remaining: 3,
      input_watermark: IDLE + 5,
      last_success_watermark: null,
    });
    expect(jobRow(id(3))).toBeUndefined();
  });

  it('claims nothing when scanLimit or maxClaimed is 0', () => {
    addThread({ id: id(1) });
    expect(claimStage1JobsForStartup(db, { ...params, scanLimit: 0 }, NOW)).toEqual([]);
    expect(claimStage1JobsForStartup(db, { ...params, maxClaimed: 0 }, NOW)).toEqual([]);
    expect(jobRow(id(1))).toBeUndefined();
  });

  it('vector 6: with 10 fresh running jobs and cap 64, a startup over 80 candidates claims 54', () => {
    // The 10 running jobs belong to threads that are not candidates (still active, not idle yet).
    for (let n = 1; n <= 10; n += 1) {
      addThread({ id: id(n), updatedAt: NOW - HOUR });
      token(claim(id(n), NOW - HOUR, NOW - 60, { workerId: id(999), maxRunningJobs: 64 }));
    }
    for (let n = 101; n <= 180; n += 1) addThread({ id: id(n), updatedAt: IDLE - n });
    expect(candidateIds()).toHaveLength(80);
    const claims = claimStage1JobsForStartup(db, { ...params, maxClaimed: 64 }, NOW);
    expect(claims).toHaveLength(54);
    expect(claims.map((c) => c.threadId)).toEqual(Array.from({ length: 54 }, (_, i) => id(101 + i)));
    expect(freshRunning(NOW)).toBe(64);
    expect(jobRow(id(155))).toBeUndefined();
  });
});

describe('try_claim_stage1_job (seed §5.7)', () => {
  it('vector 6: three failures at S=100 exhaust the budget; S=101 claims with the budget refilled', () => {
    addThread({ id: id(1), updatedAt: 101 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const t = token(claim(id(1), 100, NOW));
      expect(markStage1JobFailed(db, id(1), t, 'model error', 0, NOW)).toBe(true);
    }
    expect(jobRow(id(1))).toMatchObject({ status: 'error', retry_remaining: 0, retry_at: NOW });
    expect(claim(id(1), 100, NOW)).toEqual({ kind: 'skipped_retry_exhausted' });
    token(claim(id(1), 101, NOW));
    expect(jobRow(id(1))).toMatchObject({ status: 'running', retry_remaining: 3, input_watermark: 101 });
  });

  it('skips as up to date when the stored output covers S, without creating a job row', () => {
    addThread({ id: id(1) });
    db.prepare(
      `INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary,
      generated_at) VALUES (?, 100, 'raw', 'summary', ?)`,
    ).run(id(1), NOW);
    expect(claim(id(1), 100, NOW)).toEqual({ kind: 'skipped_up_to_date' });
    expect(claim(id(1), 99, NOW)).toEqual({ kind: 'skipped_up_to_date' });
    expect(jobRow(id(1))).toBeUndefined();
    token(claim(id(1), 101, NOW));
  });

  it("skips as up to date when the job's last success covers S", () => {
    addThread({ id: id(1) });
    expect(markStage1JobSucceededNoOutput(db, id(1), token(claim(id(1), 100, NOW)), NOW)).toBe(true);
    expect(jobRow(id(1))).toMatchObject({ status: 'done', last_success_watermark: 100 });
    expect(claim(id(1), 100, NOW + 1)).toEqual({ kind: 'skipped_up_to_date' });
    token(claim(id(1), 101, NOW + 1));
  });

  it('honours the backoff until retry_at (inclusive) unless S is newer', () => {
    addThread({ id: id(1) });
    markStage1JobFailed(db, id(1), token(claim(id(1), 100, NOW)), 'boom', 3600, NOW);
    expect(claim(id(1), 100, NOW + 3599)).toEqual({ kind: 'skipped_retry_backoff' });
    token(claim(id(1), 100, NOW + 3600));
    expect(jobRow(id(1))).toMatchObject({ retry_remaining: 2, retry_at: null, input_watermark: 100 });

    addThread({ id: id(2) });
    markStage1JobFailed(db, id(2), token(claim(id(2), 100, NOW)), 'boom', 3600, NOW);
    token(claim(id(2), 101, NOW + 1));
    expect(jobRow(id(2))).toMatchObject({ status: 'running', retry_remaining: 3, retry_at: null });
  });

  it('reports an exhausted budget before a pending backoff', () => {
    addThread({ id: id(1) });
    markStage1JobFailed(db, id(1), token(claim(id(1), 100, NOW)), 'boom', 0, NOW);
    markStage1JobFailed(db, id(1), token(claim(id(1), 100, NOW)), 'boom', 0, NOW);
    markStage1JobFailed(db, id(1), token(claim(id(1), 100, NOW)), 'boom', 3600, NOW);
    expect(claim(id(1), 100, NOW + 10)).toEqual({ kind: 'skipped_retry_exhausted' });
  });

  it('refuses a fresh lease and takes over once lease_until <= now', () => {
    addThread({ id: id(1) });
    const first = token(claim(id(1), 100, NOW));
    expect(claim(id(1), 100, NOW + 3599, { workerId: id(2) })).toEqual({ kind: 'skipped_running' });
    expect(jobRow(id(1))).toMatchObject({ worker_id: CURRENT, ownership_token: first });
    const second = token(claim(id(1), 100, NOW + 3600, { workerId: id(2) }));
    expect(second).not.toBe(first);
    expect(jobRow(id(1))).toMatchObject({ worker_id: id(2), lease_until: NOW + 7200, retry_remaining: 3 });
    // The previous owner lost the job: its finaliser changes nothing.
    expect(markStage1JobFailed(db, id(1), first, 'late', 0, NOW + 3700)).toBe(false);
    expect(jobRow(id(1))).toMatchObject({ status: 'running', ownership_token: second });
  });

  it('takes over a running row whose lease is NULL', () => {
    addThread({ id: id(1) });
    db.prepare(
      `INSERT INTO jobs (kind, job_key, status, retry_remaining, input_watermark)
      VALUES ('memory_stage1', ?, 'running', 3, 100)`,
    ).run(id(1));
    token(claim(id(1), 100, NOW));
  });

  it('caps fresh running jobs on the insert path and on the update path', () => {
    for (const n of [1, 2, 3, 4]) addThread({ id: id(n) });
    markStage1JobFailed(db, id(4), token(claim(id(4), 100, NOW - 10)), 'boom', 0, NOW - 10);
    token(claim(id(1), 100, NOW, { maxRunningJobs: 2 }));
    token(claim(id(2), 100, NOW, { maxRunningJobs: 2 }));
    expect(claim(id(3), 100, NOW, { maxRunningJobs: 2 })).toEqual({ kind: 'skipped_running' });
    expect(jobRow(id(3))).toBeUndefined();
    expect(claim(id(4), 100, NOW, { maxRunningJobs: 2 })).toEqual({ kind: 'skipped_running' });
    expect(jobRow(id(4))).toMatchObject({ status: 'error', retry_remaining: 2 });
    // Once those leases are stale they no longer count.
    token(claim(id(3), 100, NOW + 3600, { maxRunningJobs: 2 }));
    token(claim(id(4), 100, NOW + 3600, { maxRunningJobs: 2 }));
    expect(freshRunning(NOW + 3600)).toBe(2);
  });

  it('holds the global cap exactly across two connections claiming alternately', () => {
    const other = openStateDb(dir);
    extraDbs.push(other);
    for (let n = 1; n <= 10; n += 1) addThread({ id: id(n) });
    const outcomes = Array.from({ length: 10 }, (_, i) =>
      claim(
        id(i + 1),
        100,
        NOW,
        { workerId: i % 2 ? id(900) : id(901), maxRunningJobs: 5 },
        i % 2 ? db : other,
      ),
    );
    expect(outcomes.map((o) => o.kind)).toEqual([
      ...Array<string>(5).fill('claimed'),
      ...Array<string>(5).fill('skipped_running'),
    ]);
    expect(freshRunning(NOW)).toBe(5);
    expect(jobRow(id(1), db)?.worker_id).toBe(id(901));
    // The same thread from the other process: already running.
    expect(claim(id(2), 100, NOW + 1, { maxRunningJobs: 5 }, other)).toEqual({ kind: 'skipped_running' });
    // A second startup elsewhere finds the cap reached.
    expect(
      claimStage1JobsForStartup(other, { ...params, currentThreadId: id(902), maxClaimed: 5 }, NOW + 2),
    ).toEqual([]);
  });

  it('serialises claims with BEGIN IMMEDIATE: a claim waits for (here: fails fast on) another writer', () => {
    addThread({ id: id(1) });
    const impatient = openDatabase(join(dir, stateDbFileName), { busyTimeoutMs: 0 });
    extraDbs.push(impatient);
    addThread({ id: id(2) });
    db.prepare(
      `INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary,
      generated_at) VALUES (?, 100, 'raw', 'summary', ?)`,
    ).run(id(2), NOW);
    db.exec('BEGIN IMMEDIATE');
    expect(() => claim(id(1), 100, NOW, {}, impatient)).toThrow(/locked|busy/i);
    // Even a claim that would only read (up to date) takes the write lock first, so its checks and its
    // upsert always see one state; a deferred transaction would have read through here.
    expect(() => claim(id(2), 100, NOW, {}, impatient)).toThrow(/locked|busy/i);
    db.exec('ROLLBACK');
    token(claim(id(1), 100, NOW, {}, impatient));
    expect(claim(id(2), 100, NOW, {}, impatient)).toEqual({ kind: 'skipped_up_to_date' });
    expect(jobRow(id(1), db)?.status).toBe('running');
  });
});
