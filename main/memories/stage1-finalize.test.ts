import { describe, expect, it } from 'vitest';
import { perTestStateDb } from '../test-support/test-dirs.ts';
import type { Db } from '../state/connection.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { enqueueGlobalConsolidation } from './global-enqueue.ts';
import type { MemoryMode } from './memory-constants.ts';
import {
  markStage1JobFailed,
  markStage1JobSucceeded,
  markStage1JobSucceededNoOutput,
  markThreadMemoryModePolluted,
  pruneStage1OutputsForRetention,
  type Stage1Output,
} from './stage1-finalize.ts';
import { tryClaimStage1Job } from './stage1-jobs.ts';

const NOW = 1_772_400_000;
const DAY = 86_400;
const T1 = '00000000-0000-7000-8000-000000000001';
const T2 = '00000000-0000-7000-8000-000000000002';

let db: Db;
perTestStateDb((d) => (db = d));

function addThread(id: string, memoryMode: MemoryMode = 'enabled'): void {
  createThreadRepo(db).upsert({ meta: makeMeta({ id, updatedAt: NOW - DAY }), memoryMode, dynamicTools: [] });
}
function claim(threadId: string, s: number, now = NOW): string {
  const p = { threadId, workerId: T2, sourceUpdatedAt: s, leaseSeconds: 3600, maxRunningJobs: 16 };
  const outcome = tryClaimStage1Job(db, p, now);
  if (outcome.kind !== 'claimed') throw new Error(`expected a claim, got ${outcome.kind}`);
  return outcome.ownershipToken;
}
/** A stored stage-1 row as another run left it; `extra` sets usage / phase-2 columns (`snap` = selection snapshot). */
function putOutput(thread: string, s: number, extra: Record<string, number | null> = {}): void {
  db.prepare(
    `INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary, generated_at,
    usage_count, last_usage, selected_for_phase2, selected_for_phase2_source_updated_at)
    VALUES (@thread, @s, 'old raw', 'old summary', 1, @usage_count, @last_usage, @selected_for_phase2, @snap)`,
  ).run({
    usage_count: null,
    last_usage: null,
    selected_for_phase2: 0,
    snap: null,
    ...extra,
    thread,
    s,
  });
}
const stage1Job = (key: string): Record<string, unknown> | undefined =>
  db.prepare(`SELECT * FROM jobs WHERE kind = 'memory_stage1' AND job_key = ?`).get(key) as
    Record<string, unknown> | undefined;
const globalJob = (): Record<string, unknown> | undefined =>
  db.prepare(`SELECT * FROM jobs WHERE kind = 'memory_consolidate_global'`).get() as
    Record<string, unknown> | undefined;
const output = (thread: string): Record<string, unknown> | undefined =>
  db.prepare('SELECT * FROM stage1_outputs WHERE thread_id = ?').get(thread) as
    Record<string, unknown> | undefined;
const snapshot = (): unknown => ({
  jobs: db.prepare('SELECT * FROM jobs ORDER BY kind, job_key').all(),
  outputs: db.prepare('SELECT * FROM stage1_outputs ORDER BY thread_id').all(),
  threads: db.prepare('SELECT id, memory_mode FROM threads ORDER BY id').all(),
});
const result = (s: number): Stage1Output => ({
  sourceUpdatedAt: s,
  rawMemory: 'new raw',
  rolloutSummary: 'new summary',
  rolloutSlug: 'fix-flaky-test',
});

describe('mark_stage1_job_succeeded (seed §5.9)', () => {
  it('finishes the job, stores the output and enqueues global consolidation with S', () => {
    addThread(T1);
    const t = claim(T1, 100);
    expect(markStage1JobSucceeded(db, T1, t, result(100), NOW + 10)).toBe(true);
    expect(stage1Job(T1)).toMatchObject({
      status: 'done',
      finished_at: NOW + 10,
      lease_until: null,
      last_error: null,
      last_success_watermark: 100,
    });
    expect(output(T1)).toMatchObject({
      source_updated_at: 100,
      raw_memory: 'new raw',
      rollout_summary: 'new summary',
      rollout_slug: 'fix-flaky-test',
      generated_at: NOW + 10,
      usage_count: null,
      selected_for_phase2: 0,
    });
    expect(globalJob()).toMatchObject({
      job_key: 'global',
      status: 'pending',
      retry_remaining: 3,
      input_watermark: 100,
      last_success_watermark: 0,
      ownership_token: null,
    });
  });

  it('replaces a stored output with S >= stored S, keeping usage and phase-2 selection', () => {
    addThread(T1);
    putOutput(T1, 100, { usage_count: 2, last_usage: NOW - 5, selected_for_phase2: 1, snap: 100 });
    expect(markStage1JobSucceeded(db, T1, claim(T1, 150), result(150), NOW)).toBe(true);
    expect(output(T1)).toMatchObject({
      source_updated_at: 150,
      raw_memory: 'new raw',
      usage_count: 2,
      last_usage: NOW - 5,
      selected_for_phase2: 1,
      selected_for_phase2_source_updated_at: 100,
    });
    // Equal S (written meanwhile by another owner of the thread) is replaced too.
    const t = claim(T1, 200, NOW + 1);
    db.prepare(
      `UPDATE stage1_outputs SET source_updated_at = 200, raw_memory = 'theirs' WHERE thread_id = ?`,
    ).run(T1);
    expect(markStage1JobSucceeded(db, T1, t, result(200), NOW + 2)).toBe(true);
    expect(output(T1)).toMatchObject({ source_updated_at: 200, raw_memory: 'new raw', usage_count: 2 });
  });

  it('keeps a newer stored output but still finishes the job and enqueues', () => {
    addThread(T1);
    const t = claim(T1, 150);
    putOutput(T1, 200);
    expect(markStage1JobSucceeded(db, T1, t, result(150), NOW)).toBe(true);
    expect(output(T1)).toMatchObject({ source_updated_at: 200, raw_memory: 'old raw', generated_at: 1 });
    expect(stage1Job(T1)).toMatchObject({ status: 'done', last_success_watermark: 150 });
    expect(globalJob()).toMatchObject({ status: 'pending', input_watermark: 150 });
  });
});

describe('mark_stage1_job_succeeded_no_output (seed §5.9)', () => {
  it('deletes the stored output and enqueues with the claimed watermark', () => {
    addThread(T1);
    putOutput(T1, 100);
    expect(markStage1JobSucceededNoOutput(db, T1, claim(T1, 120), NOW)).toBe(true);
    expect(output(T1)).toBeUndefined();
    expect(stage1Job(T1)).toMatchObject({ status: 'done', finished_at: NOW, last_success_watermark: 120 });
    expect(globalJob()).toMatchObject({ status: 'pending', input_watermark: 120 });
  });

  it('does not enqueue when there was nothing to delete', () => {
    addThread(T1);
    expect(markStage1JobSucceededNoOutput(db, T1, claim(T1, 120), NOW)).toBe(true);
    expect(stage1Job(T1)).toMatchObject({ status: 'done', last_success_watermark: 120 });
    expect(globalJob()).toBeUndefined();
  });
});

describe('mark_stage1_job_failed (seed §5.9)', () => {
  it('sets error, backoff from now, one retry spent and the reason', () => {
    addThread(T1);
    expect(markStage1JobFailed(db, T1, claim(T1, 100), 'stream closed', 3600, NOW + 5)).toBe(true);
    expect(stage1Job(T1)).toMatchObject({
      status: 'error',
      finished_at: NOW + 5,
      lease_until: null,
      retry_at: NOW + 3605,
      retry_remaining: 2,
      last_error: 'stream closed',
    });
    expect(markStage1JobFailed(db, T1, claim(T1, 101, NOW + 6), 'again', -50, NOW + 7)).toBe(true);
    expect(stage1Job(T1)).toMatchObject({ retry_at: NOW + 7, retry_remaining: 2 });
  });
});

describe('finalisers without ownership (seed §5.9)', () => {
  const finalisers: [string, (token: string) => boolean][] = [
    ['succeeded', (t) => markStage1JobSucceeded(db, T1, t, result(100), NOW + 1)],
    ['succeeded_no_output', (t) => markStage1JobSucceededNoOutput(db, T1, t, NOW + 1)],
    ['failed', (t) => markStage1JobFailed(db, T1, t, 'x', 0, NOW + 1)],
  ];

  it.each(finalisers)('%s returns false and changes nothing with a wrong token', (_name, finalise) => {
    addThread(T1);
    claim(T1, 100);
    putOutput(T1, 90);
    const before = snapshot();
    expect(finalise('00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it.each(finalisers)(
    '%s returns false and changes nothing once the row is not running',
    (_name, finalise) => {
      addThread(T1);
      const t = claim(T1, 100);
      putOutput(T1, 90);
      markStage1JobFailed(db, T1, t, 'first', 0, NOW);
      const before = snapshot();
      expect(finalise(t)).toBe(false);
      expect(snapshot()).toEqual(before);
    },
  );

  it.each(finalisers)('%s returns false when there is no job row', (_name, finalise) => {
    addThread(T1);
    putOutput(T1, 90);
    const before = snapshot();
    expect(finalise('00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(snapshot()).toEqual(before);
  });
});

describe('prune_stage1_outputs_for_retention (seed §5.6)', () => {
  const cutoff = NOW - 30 * DAY;
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((x) => `00000000-0000-7000-8000-00000000000${x}`);
  const [a, b, c, d, e, f, g] = ids as [string, string, string, string, string, string, string];
  const remaining = (): string[] =>
    db.prepare('SELECT thread_id FROM stage1_outputs ORDER BY thread_id').pluck().all() as string[];

  it('deletes unselected rows unused before the cutoff, stalest first, at most limit per call', () => {
    for (const id of ids) addThread(id);
    // a was extracted by a job that succeeded at its snapshot.
    markStage1JobSucceeded(db, a, claim(a, cutoff - 10), result(cutoff - 10), NOW - 40 * DAY);
    db.prepare('UPDATE stage1_outputs SET generated_at = 1 WHERE thread_id = ?').run(a);
    putOutput(b, cutoff + 99, { last_usage: cutoff - 20 });
    putOutput(c, cutoff - 10);
    putOutput(d, 1, { selected_for_phase2: 1 });
    putOutput(e, cutoff);
    putOutput(f, cutoff - 999, { last_usage: cutoff + 1 });
    putOutput(g, cutoff - 50, { last_usage: cutoff - 10 });

    expect(pruneStage1OutputsForRetention(db, 30, 0, NOW)).toBe(0);
    // Order: b (coalesced −20), g (−10, S −50), a (−10, S −10, smaller id), c.
    const order: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const before = remaining();
      expect(pruneStage1OutputsForRetention(db, 30, 1, NOW)).toBe(1);
      order.push(...before.filter((x) => !remaining().includes(x)));
    }
    expect(order).toEqual([b, g, a, c]);
    expect(pruneStage1OutputsForRetention(db, 30, 200, NOW)).toBe(0);
    expect(remaining()).toEqual([d, e, f]);
    // The job row survives, so its last success still blocks re-extraction of the unchanged thread.
    expect(stage1Job(a)).toMatchObject({ status: 'done', last_success_watermark: cutoff - 10 });
  });

  it('deletes several rows in one call up to the limit', () => {
    for (const id of ids) addThread(id);
    for (const id of ids) putOutput(id, cutoff - 1);
    expect(pruneStage1OutputsForRetention(db, 30, 5, NOW)).toBe(5);
    expect(remaining()).toEqual([f, g]);
  });
});

describe('mark_thread_memory_mode_polluted (seed §5.4)', () => {
  const mode = (id: string): unknown =>
    db.prepare('SELECT memory_mode FROM threads WHERE id = ?').pluck().get(id);

  it('enqueues global consolidation at now only when it changed a phase-2-selected thread', () => {
    addThread(T1);
    addThread(T2, 'disabled');
    putOutput(T1, 100, { selected_for_phase2: 1 });
    putOutput(T2, 100);
    expect(markThreadMemoryModePolluted(db, T2, NOW)).toBe(true);
    expect(mode(T2)).toBe('polluted');
    expect(globalJob()).toBeUndefined();

    expect(markThreadMemoryModePolluted(db, T1, NOW + 3)).toBe(true);
    expect(mode(T1)).toBe('polluted');
    expect(globalJob()).toMatchObject({ status: 'pending', input_watermark: NOW + 3 });

    const before = snapshot();
    expect(markThreadMemoryModePolluted(db, T1, NOW + 9)).toBe(false);
    expect(markThreadMemoryModePolluted(db, '00000000-0000-7000-8000-0000000000ff', NOW + 9)).toBe(false);
    expect(snapshot()).toEqual(before);
  });
});

describe('enqueue global consolidation (seed §5.10)', () => {
  const setGlobal = (sql: string): void => {
    db.prepare(`UPDATE jobs SET ${sql} WHERE kind = 'memory_consolidate_global'`).run();
  };

  it('refills the budget, dirties the job for back-dated watermarks and keeps a running job running', () => {
    enqueueGlobalConsolidation(db, 500, NOW);
    setGlobal(`status = 'error', retry_at = ${NOW + 3600}, retry_remaining = 0`);
    enqueueGlobalConsolidation(db, 400, NOW);
    expect(globalJob()).toMatchObject({
      status: 'pending',
      retry_at: null,
      retry_remaining: 3,
      input_watermark: 501,
    });
    setGlobal(`status = 'running', retry_at = ${NOW + 1}, retry_remaining = 5, ownership_token = 'tok'`);
    enqueueGlobalConsolidation(db, 900, NOW);
    expect(globalJob()).toMatchObject({
      status: 'running',
      retry_at: NOW + 1,
      retry_remaining: 5,
      ownership_token: 'tok',
      input_watermark: 900,
      last_success_watermark: 0,
    });
  });
});
