import { describe, expect, it } from 'vitest';
import { perTestStateDb } from '../test-support/test-dirs.ts';
import type { Db } from '../state/connection.ts';
import { enqueueGlobalConsolidation } from './global-enqueue.ts';
import { claimGlobalJob, readGlobalJob } from './global-job.ts';
import { memoryWorkerId, releaseDeadWorkerLeases } from './dead-worker-leases.ts';
import { PHASE2_LEASE_SECONDS } from './memory-constants.ts';

let db: Db;
perTestStateDb((d) => (db = d));

const T0 = 1_772_359_200;
const job = (key: string, status: string, worker: string | null, leaseUntil: number | null): void => {
  db.prepare(
    `INSERT INTO jobs (kind, job_key, status, worker_id, ownership_token, started_at, lease_until, retry_remaining)
     VALUES ('memory_stage1', ?, ?, ?, 'tok-' || ?, ?, ?, 3)`,
  ).run(key, status, worker, key, T0 - 60, leaseUntil);
};
const leases = (): Record<string, number | null> =>
  Object.fromEntries(
    (
      db.prepare(`SELECT job_key, lease_until FROM jobs WHERE kind = 'memory_stage1'`).all() as {
        job_key: string;
        lease_until: number | null;
      }[]
    ).map((r) => [r.job_key, r.lease_until]),
  );

describe('releaseDeadWorkerLeases', () => {
  it('names workers by logs process uuid, or by pid without logs', () => {
    expect(memoryWorkerId('pid:41:0199-uuid')).toBe('threadscope:pid:41:0199-uuid');
    expect(memoryWorkerId(null, 41)).toBe('threadscope:41');
  });

  it("ends only the dead process's running leases, in both worker id forms", () => {
    const later = T0 + 3000;
    job('dead-uuid', 'running', memoryWorkerId('pid:41:aaaa'), later);
    job('dead-bare', 'running', memoryWorkerId(null, 41), later);
    job('pid-410', 'running', memoryWorkerId('pid:410:bbbb'), later);
    job('pid-4', 'running', memoryWorkerId(null, 4), later);
    job('other-tool', 'running', 'codex:41', later);
    job('dead-done', 'done', memoryWorkerId('pid:41:aaaa'), null);
    job('dead-expired', 'running', memoryWorkerId('pid:41:aaaa'), T0 - 5);

    expect(releaseDeadWorkerLeases(db, 41, T0)).toBe(2);
    expect(leases()).toEqual({
      'dead-uuid': T0,
      'dead-bare': T0,
      'pid-410': later,
      'pid-4': later,
      'other-tool': later,
      'dead-done': null,
      'dead-expired': T0 - 5,
    });
    // Still `running` with the dead owner's token, as after a lease ran out.
    expect(db.prepare(`SELECT status, ownership_token FROM jobs WHERE job_key = 'dead-uuid'`).get()).toEqual({
      status: 'running',
      ownership_token: 'tok-dead-uuid',
    });
    expect(releaseDeadWorkerLeases(db, 41, T0)).toBe(0);
  });

  it('lets the next run claim a dead owner’s consolidation at once', () => {
    enqueueGlobalConsolidation(db, 100);
    const dead = memoryWorkerId('pid:41:aaaa');
    expect(claimGlobalJob(db, dead, PHASE2_LEASE_SECONDS, T0)).toMatchObject({ kind: 'claimed' });
    const me = memoryWorkerId('pid:42:bbbb');
    expect(claimGlobalJob(db, me, PHASE2_LEASE_SECONDS, T0 + 10)).toEqual({ kind: 'skipped_running' });
    expect(releaseDeadWorkerLeases(db, 41, T0 + 10)).toBe(1);
    expect(claimGlobalJob(db, me, PHASE2_LEASE_SECONDS, T0 + 10)).toMatchObject({ kind: 'claimed' });
    expect(readGlobalJob(db)).toMatchObject({ workerId: me, leaseUntil: T0 + 10 + PHASE2_LEASE_SECONDS });
  });
});
