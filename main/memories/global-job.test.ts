import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../state/connection.ts';
import { openStateDb, stateDbFileName } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { enqueueGlobalConsolidation } from './global-enqueue.ts';
import {
  claimGlobalJob,
  failGlobalJob,
  failGlobalJobIfUnowned,
  heartbeatGlobalJob,
  readGlobalJob,
  succeedGlobalJob,
  type GlobalClaimOutcome,
} from './global-job.ts';
import { PHASE2_LEASE_SECONDS, PHASE2_RETRY_DELAY_SECONDS } from './memory-constants.ts';

let dir: string;
let db: Db;
let cleanup: () => void;
const extra: Db[] = [];
beforeEach(() => {
  const t = makeTempDir();
  dir = t.dir;
  cleanup = t.cleanup;
  db = openStateDb(dir);
});
afterEach(() => {
  for (const d of extra.splice(0)) d.close();
  db.close();
  cleanup();
});

const T0 = 1_772_359_200;
const WORKER = '00000000-0000-7000-8000-00000000beef';

/** Claims and returns the token, failing the test on any other outcome. */
function mustClaim(at: number, worker = WORKER, on: Db = db): { token: string; watermark: number } {
  const out = claimGlobalJob(on, worker, PHASE2_LEASE_SECONDS, at);
  if (out.kind !== 'claimed') throw new Error(`expected a claim, got ${out.kind}`);
  return { token: out.ownershipToken, watermark: out.inputWatermark };
}

const notDirty: GlobalClaimOutcome = { kind: 'skipped_not_dirty' };
const running: GlobalClaimOutcome = { kind: 'skipped_running' };

describe('seed §10 vector 7', () => {
  it('enqueue 500 → claim 500 → succeed → not dirty → enqueue 400 → claim 501; a failure backs off as not dirty', () => {
    enqueueGlobalConsolidation(db, 500, T0);
    const first = mustClaim(T0);
    expect(first.watermark).toBe(500);
    expect(readGlobalJob(db)).toMatchObject({
      status: 'running',
      workerId: WORKER,
      ownershipToken: first.token,
      startedAt: T0,
      finishedAt: null,
      leaseUntil: T0 + 3600,
      retryAt: null,
      lastError: null,
      inputWatermark: 500,
      retryRemaining: 3,
    });
    expect(succeedGlobalJob(db, first.token, first.watermark, [], T0 + 10)).toBe(true);
    expect(readGlobalJob(db)).toMatchObject({
      status: 'done',
      finishedAt: T0 + 10,
      leaseUntil: null,
      lastSuccessWatermark: 500,
    });
    expect(claimGlobalJob(db, WORKER, PHASE2_LEASE_SECONDS, T0 + 20)).toEqual(notDirty);

    enqueueGlobalConsolidation(db, 400, T0 + 30);
    const second = mustClaim(T0 + 40);
    expect(second.watermark).toBe(501);
    expect(second.token).not.toBe(first.token);

    expect(failGlobalJob(db, second.token, 'agent failed', PHASE2_RETRY_DELAY_SECONDS, T0 + 50)).toBe(true);
    expect(readGlobalJob(db)).toMatchObject({
      status: 'error',
      finishedAt: T0 + 50,
      leaseUntil: null,
      retryAt: T0 + 50 + 3600,
      retryRemaining: 2,
      lastError: 'agent failed',
      inputWatermark: 501,
      lastSuccessWatermark: 500,
    });
    expect(claimGlobalJob(db, WORKER, PHASE2_LEASE_SECONDS, T0 + 50)).toEqual(notDirty);
    // Backoff edge: `retry_at > now` blocks, `retry_at = now` no longer does.
    expect(claimGlobalJob(db, WORKER, PHASE2_LEASE_SECONDS, T0 + 50 + 3599)).toEqual(notDirty);
    expect(mustClaim(T0 + 50 + 3600).watermark).toBe(501);
  });
});

describe('claim (seed §5.10)', () => {
  it('reports not dirty when no row exists and changes nothing', () => {
    expect(claimGlobalJob(db, WORKER, PHASE2_LEASE_SECONDS, T0)).toEqual(notDirty);
    expect(readGlobalJob(db)).toBeNull();
  });

  it('refuses a running row with a fresh lease and takes over a stale one', () => {
    enqueueGlobalConsolidation(db, 10, T0);
    const a = mustClaim(T0, 'worker-a');
    expect(claimGlobalJob(db, 'worker-b', PHASE2_LEASE_SECONDS, T0 + 3599)).toEqual(running);
    // An enqueue while running keeps it running and bumps the watermark (still owned by a).
    enqueueGlobalConsolidation(db, 5, T0 + 100);
    expect(readGlobalJob(db)).toMatchObject({
      status: 'running',
      ownershipToken: a.token,
      inputWatermark: 11,
    });

    // lease_until = T0 + 3600 ≤ now: stale, stolen with a fresh token, worker and lease.
    const b = mustClaim(T0 + 3600, 'worker-b');
    expect(b.watermark).toBe(11);
    expect(b.token).not.toBe(a.token);
    expect(readGlobalJob(db)).toMatchObject({
      workerId: 'worker-b',
      ownershipToken: b.token,
      startedAt: T0 + 3600,
      leaseUntil: T0 + 7200,
    });
    // The previous owner's finalisers and heartbeat no longer match.
    expect(heartbeatGlobalJob(db, a.token, PHASE2_LEASE_SECONDS, T0 + 3601)).toBe(false);
    expect(succeedGlobalJob(db, a.token, 11, [], T0 + 3601)).toBe(false);
    expect(failGlobalJob(db, a.token, 'late', 3600, T0 + 3601)).toBe(false);
    expect(readGlobalJob(db)).toMatchObject({ status: 'running', ownershipToken: b.token });
  });

  it('treats a running row without a lease as claimable', () => {
    enqueueGlobalConsolidation(db, 10, T0);
    mustClaim(T0);
    db.prepare("UPDATE jobs SET lease_until = NULL WHERE kind = 'memory_consolidate_global'").run();
    expect(mustClaim(T0 + 1, 'worker-b').watermark).toBe(10);
  });

  it('reports exhausted retries as not dirty until a new enqueue refills the budget', () => {
    enqueueGlobalConsolidation(db, 10, T0);
    for (let i = 0; i < 3; i += 1) {
      const c = mustClaim(T0 + i);
      expect(failGlobalJob(db, c.token, `failure ${i}`, 0, T0 + i)).toBe(true);
    }
    expect(readGlobalJob(db)).toMatchObject({ status: 'error', retryRemaining: 0, retryAt: T0 + 2 });
    expect(claimGlobalJob(db, WORKER, PHASE2_LEASE_SECONDS, T0 + 100)).toEqual(notDirty);
    enqueueGlobalConsolidation(db, 10, T0 + 101);
    expect(readGlobalJob(db)).toMatchObject({ status: 'pending', retryRemaining: 3, inputWatermark: 11 });
    expect(mustClaim(T0 + 102).watermark).toBe(11);
  });

  it('keeps the higher success watermark, so a late completion leaves the job dirty', () => {
    enqueueGlobalConsolidation(db, 500, T0);
    succeedGlobalJob(db, mustClaim(T0).token, 500, [], T0);
    enqueueGlobalConsolidation(db, 400, T0 + 1);
    const c = mustClaim(T0 + 2);
    expect(succeedGlobalJob(db, c.token, 300, [], T0 + 3)).toBe(true);
    expect(readGlobalJob(db)).toMatchObject({
      status: 'done',
      lastSuccessWatermark: 500,
      inputWatermark: 501,
    });
    expect(mustClaim(T0 + 4).watermark).toBe(501);
  });

  it('sees another connection’s fresh claim, and takes the write lock before reading (BEGIN IMMEDIATE)', () => {
    const file = join(dir, stateDbFileName);
    const other = openDatabase(file, { busyTimeoutMs: 0 });
    extra.push(other);
    enqueueGlobalConsolidation(db, 10, T0);
    const a = mustClaim(T0, 'worker-a');
    expect(claimGlobalJob(other, 'worker-b', PHASE2_LEASE_SECONDS, T0 + 1)).toEqual(running);
    expect(heartbeatGlobalJob(other, a.token, PHASE2_LEASE_SECONDS, T0 + 2)).toBe(true);
    expect(succeedGlobalJob(db, a.token, a.watermark, [], T0 + 3)).toBe(true);

    // With db holding the write lock, even a not-dirty claim on `other` cannot read: it is a writer.
    db.exec('BEGIN IMMEDIATE');
    try {
      expect(() => claimGlobalJob(other, 'worker-b', PHASE2_LEASE_SECONDS, T0 + 4)).toThrow(/locked|busy/i);
    } finally {
      db.exec('ROLLBACK');
    }
    expect(claimGlobalJob(other, 'worker-b', PHASE2_LEASE_SECONDS, T0 + 5)).toEqual(notDirty);
  });
});

describe('heartbeat (seed §5.10)', () => {
  it('extends the lease only for the owner of a running row', () => {
    enqueueGlobalConsolidation(db, 10, T0);
    const c = mustClaim(T0);
    expect(heartbeatGlobalJob(db, 'someone-else', PHASE2_LEASE_SECONDS, T0 + 90)).toBe(false);
    expect(readGlobalJob(db)?.leaseUntil).toBe(T0 + 3600);
    expect(heartbeatGlobalJob(db, c.token, PHASE2_LEASE_SECONDS, T0 + 90)).toBe(true);
    expect(readGlobalJob(db)?.leaseUntil).toBe(T0 + 90 + 3600);
    // The extended lease is fresh at the old expiry.
    expect(claimGlobalJob(db, 'worker-b', PHASE2_LEASE_SECONDS, T0 + 3600)).toEqual(running);
    succeedGlobalJob(db, c.token, c.watermark, [], T0 + 100);
    expect(heartbeatGlobalJob(db, c.token, PHASE2_LEASE_SECONDS, T0 + 180)).toBe(false);
    expect(readGlobalJob(db)?.leaseUntil).toBeNull();
  });
});

describe('succeed marks the phase-2 baseline (seed §5.10)', () => {
  const ids = ['a', 'b', 'c'].map((s) => `00000000-0000-7000-8000-00000000000${s}`);
  const [A, B, C] = ids as [string, string, string];

  function flags(): Record<string, [number, number | null]> {
    const rows = db
      .prepare(
        'SELECT thread_id, selected_for_phase2 AS f, selected_for_phase2_source_updated_at AS s FROM stage1_outputs',
      )
      .all() as { thread_id: string; f: number; s: number | null }[];
    return Object.fromEntries(rows.map((r) => [r.thread_id, [r.f, r.s]]));
  }

  beforeEach(() => {
    const threads = createThreadRepo(db);
    const put =
      db.prepare(`INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary,
      generated_at, selected_for_phase2, selected_for_phase2_source_updated_at) VALUES (?, 100, 'raw', 'sum', 100, ?, ?)`);
    for (const id of ids) threads.upsert({ meta: makeMeta({ id }), memoryMode: 'enabled', dynamicTools: [] });
    put.run(A, 0, null);
    put.run(B, 0, null);
    put.run(C, 1, 90); // in the previous baseline, not selected this time
  });

  it('re-marks only selected rows whose snapshot is unchanged and clears every other flag', () => {
    enqueueGlobalConsolidation(db, 100, T0);
    const c = mustClaim(T0);
    // B is regenerated while phase 2 runs.
    db.prepare('UPDATE stage1_outputs SET source_updated_at = 150 WHERE thread_id = ?').run(B);
    const selected = [
      { threadId: A, sourceUpdatedAt: 100 },
      { threadId: B, sourceUpdatedAt: 100 },
    ];
    expect(succeedGlobalJob(db, c.token, c.watermark, selected, T0 + 1)).toBe(true);
    expect(flags()).toEqual({ [A]: [1, 100], [B]: [0, null], [C]: [0, null] });
  });

  it('changes no flag when the caller does not own the job', () => {
    enqueueGlobalConsolidation(db, 100, T0);
    mustClaim(T0);
    expect(succeedGlobalJob(db, 'not-the-owner', 100, [{ threadId: A, sourceUpdatedAt: 100 }], T0 + 1)).toBe(
      false,
    );
    expect(flags()).toEqual({ [A]: [0, null], [B]: [0, null], [C]: [1, 90] });
    expect(readGlobalJob(db)?.status).toBe('running');
  });
});

describe('fail and fail-if-unowned (seed §5.10)', () => {
  it('strict fail needs the token; fail-if-unowned also recovers a running row without one', () => {
    enqueueGlobalConsolidation(db, 10, T0);
    const c = mustClaim(T0);
    expect(failGlobalJob(db, 'other', 'x', 3600, T0 + 1)).toBe(false);
    expect(failGlobalJobIfUnowned(db, 'other', 'x', 3600, T0 + 1)).toBe(false);
    expect(readGlobalJob(db)?.status).toBe('running');

    db.prepare("UPDATE jobs SET ownership_token = NULL WHERE kind = 'memory_consolidate_global'").run();
    expect(failGlobalJob(db, c.token, 'x', 3600, T0 + 2)).toBe(false);
    expect(failGlobalJobIfUnowned(db, c.token, 'lost ownership', -5, T0 + 2)).toBe(true);
    expect(readGlobalJob(db)).toMatchObject({
      status: 'error',
      finishedAt: T0 + 2,
      leaseUntil: null,
      retryAt: T0 + 2, // a negative delay counts as 0
      retryRemaining: 2,
      lastError: 'lost ownership',
    });
    // Only running rows are failed.
    expect(failGlobalJobIfUnowned(db, c.token, 'again', 0, T0 + 3)).toBe(false);
    expect(readGlobalJob(db)?.retryRemaining).toBe(2);
  });

  it('fail-if-unowned with the owner’s token behaves like fail', () => {
    enqueueGlobalConsolidation(db, 10, T0);
    const c = mustClaim(T0);
    expect(failGlobalJobIfUnowned(db, c.token, 'boom', 60, T0 + 5)).toBe(true);
    expect(readGlobalJob(db)).toMatchObject({ status: 'error', retryAt: T0 + 65, retryRemaining: 2 });
  });
});
