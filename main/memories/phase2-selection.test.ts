import { describe, expect, it } from 'vitest';
import { perTestStateDb } from '../test-support/test-dirs.ts';
import type { Db } from '../state/connection.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { enqueueGlobalConsolidation } from './global-enqueue.ts';
import { claimGlobalJob, succeedGlobalJob } from './global-job.ts';
import type { MemoryMode } from './memory-constants.ts';
import { getPhase2InputSelection, type Phase2InputSelection } from './phase2-selection.ts';

let db: Db;
perTestStateDb((d) => (db = d));

const DAY = 86_400;
const NOW = 1_772_359_200;
/** Thread id ending in `suffix` (≤ 12 hex-ish chars); ids compare as strings for the thread_id tie-breaks. */
const tid = (suffix: string): string => `00000000-0000-7000-8000-${suffix.padStart(12, '0')}`;

function addThread(id: string, mode: MemoryMode = 'enabled', gitBranch: string | null = null): void {
  createThreadRepo(db).upsert({
    meta: makeMeta({
      id,
      cwd: `/work/${id.slice(-4)}`,
      gitBranch,
      rolloutPath: `/codex/rollout-${id}.jsonl`,
    }),
    memoryMode: mode,
    dynamicTools: [],
  });
}

interface Output {
  src: number;
  raw?: string;
  summary?: string;
  slug?: string | null;
  usageCount?: number | null;
  lastUsage?: number | null;
  flagged?: boolean;
  snapshot?: number | null;
}

/** A thread plus its stage-1 row, written the way the phase-1 finaliser leaves it. */
function addOutput(id: string, o: Output, mode: MemoryMode = 'enabled'): void {
  addThread(id, mode);
  db.prepare(
    `INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary, rollout_slug, generated_at,
      usage_count, last_usage, selected_for_phase2, selected_for_phase2_source_updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    o.src,
    o.raw ?? `raw ${id}`,
    o.summary ?? `summary ${id}`,
    o.slug === undefined ? `slug-${id.slice(-2)}` : o.slug,
    o.src,
    o.usageCount ?? null,
    o.lastUsage ?? null,
    o.flagged ? 1 : 0,
    o.snapshot ?? null,
  );
}

/** Stage-1 success at a newer snapshot: the five content fields change, usage and phase-2 flags stay (§5.9). */
function regenerate(id: string, src: number): void {
  db.prepare(
    `UPDATE stage1_outputs SET source_updated_at = ?, raw_memory = ?, rollout_summary = ?, generated_at = ?
     WHERE thread_id = ?`,
  ).run(src, `raw ${id} v2`, `summary ${id} v2`, src, id);
}

/** A real phase-2 success: enqueue, claim, succeed with `selected`. */
function completePhase2(selected: Phase2InputSelection['selected'], at: number): void {
  enqueueGlobalConsolidation(db, at, at);
  const c = claimGlobalJob(db, 'worker', 3600, at);
  if (c.kind !== 'claimed') throw new Error(`expected a claim, got ${c.kind}`);
  expect(succeedGlobalJob(db, c.ownershipToken, c.inputWatermark, selected, at)).toBe(true);
}

const ids = (items: readonly { threadId: string }[]): string[] => items.map((i) => i.threadId);
const select = (n: number, days = 30, now = NOW): Phase2InputSelection =>
  getPhase2InputSelection(db, n, days, now);

describe('seed §10 vector 8', () => {
  it('T1 regenerated, T2 polluted, T3 new → selected {T1@200, T3} both added, retained {}, removed {T2}', () => {
    const [T1, T2, T3] = [tid('1'), tid('2'), tid('3')];
    const base = NOW - 1000;
    addOutput(T1, { src: base + 100 });
    addOutput(T2, { src: base + 100 });
    completePhase2(select(10).selected, NOW - 500);
    expect(select(10).retainedThreadIds.sort()).toEqual([T1, T2].sort());

    regenerate(T1, base + 200);
    db.prepare("UPDATE threads SET memory_mode = 'polluted' WHERE id = ?").run(T2);
    addOutput(T3, { src: base + 150 });

    const s = select(10);
    expect(s.selected.map((i) => [i.threadId, i.sourceUpdatedAt])).toEqual([
      [T1, base + 200],
      [T3, base + 150],
    ]);
    expect(s.retainedThreadIds).toEqual([]);
    expect(s.addedCount).toBe(2);
    expect(s.removed).toEqual([{ threadId: T2, sourceUpdatedAt: base + 100, rolloutSlug: 'slug-02' }]);
    expect(s.previousSelected.map((i) => [i.threadId, i.sourceUpdatedAt])).toEqual([
      [T1, base + 200],
      [T2, base + 100],
    ]);

    // Once phase 2 succeeds on that selection, both are retained and T2 is forgotten.
    completePhase2(s.selected, NOW);
    const next = select(10);
    expect(next.retainedThreadIds).toEqual([T1, T3]);
    expect(next.addedCount).toBe(0);
    expect(next.removed).toEqual([]);
    expect(ids(next.previousSelected)).toEqual([T1, T3]);
  });
});

describe('selected (seed §5.11)', () => {
  it('ranks by usage_count, then COALESCE(last_usage, source_updated_at), source_updated_at, thread_id', () => {
    const t = NOW - 10 * DAY;
    addOutput(tid('a1'), { src: t + 100, usageCount: 5, lastUsage: t + 100 });
    addOutput(tid('a2'), { src: t + 90, usageCount: 5, lastUsage: t + 120 });
    addOutput(tid('b1'), { src: t + 500 });
    addOutput(tid('b2'), { src: t + 450, usageCount: 0, lastUsage: t + 400 });
    addOutput(tid('c1'), { src: t + 250, lastUsage: t + 300 });
    addOutput(tid('c2'), { src: t + 300 });
    addOutput(tid('d1'), { src: t + 200 });
    addOutput(tid('d2'), { src: t + 200 });
    const order = [tid('a2'), tid('a1'), tid('b1'), tid('b2'), tid('c2'), tid('c1'), tid('d2'), tid('d1')];
    expect(ids(select(100).selected)).toEqual(order);
    expect(ids(select(3).selected)).toEqual(order.slice(0, 3));
  });

  it('returns everything empty for N = 0 (or below), even with a previous baseline', () => {
    addOutput(tid('1'), { src: NOW, flagged: true, snapshot: NOW });
    const empty = { selected: [], retainedThreadIds: [], previousSelected: [], removed: [], addedCount: 0 };
    expect(select(0)).toEqual(empty);
    expect(select(-1)).toEqual(empty);
    expect(select(1).selected).toHaveLength(1);
  });

  it('keeps fresh rows: last_usage ≥ cutoff when set, else source_updated_at ≥ cutoff', () => {
    const cutoff = NOW - 7 * DAY;
    addOutput(tid('1'), { src: cutoff }); // never used, exactly at the cutoff
    addOutput(tid('2'), { src: cutoff - 1 }); // never used, one second too old
    addOutput(tid('3'), { src: cutoff - 1000, usageCount: 1, lastUsage: cutoff }); // old but used at the cutoff
    addOutput(tid('4'), { src: NOW, usageCount: 1, lastUsage: cutoff - 1 }); // fresh source, stale usage wins
    expect(ids(select(10, 7).selected).sort()).toEqual([tid('1'), tid('3')].sort());
  });

  it('uses now itself as the cutoff for max_unused_days = 0 (negative counts as 0)', () => {
    addOutput(tid('1'), { src: NOW });
    addOutput(tid('2'), { src: NOW - 1 });
    expect(ids(select(10, 0).selected)).toEqual([tid('1')]);
    expect(ids(select(10, -3).selected)).toEqual([tid('1')]);
  });

  it('drops rows whose raw memory and summary are both blank after trimming', () => {
    addOutput(tid('1'), { src: NOW, raw: '   ', summary: '' });
    addOutput(tid('2'), { src: NOW, raw: '\n\t \r\n', summary: ' ' });
    addOutput(tid('3'), { src: NOW, raw: '', summary: '  only a summary ' });
    addOutput(tid('4'), { src: NOW, raw: 'only raw', summary: '\n' });
    expect(ids(select(10).selected)).toEqual([tid('4'), tid('3')]);
  });

  it('selects only threads whose memory_mode is enabled', () => {
    addOutput(tid('1'), { src: NOW }, 'enabled');
    addOutput(tid('2'), { src: NOW }, 'disabled');
    addOutput(tid('3'), { src: NOW }, 'polluted');
    expect(ids(select(10).selected)).toEqual([tid('1')]);
  });

  it('carries the stage-1 fields, usage and the thread’s rollout path, cwd and branch', () => {
    const id = tid('1');
    addOutput(id, { src: NOW - 50, raw: 'R', summary: 'S', slug: null, usageCount: 2, lastUsage: NOW - 10 });
    db.prepare("UPDATE threads SET git_branch = 'main' WHERE id = ?").run(id);
    expect(select(10).selected).toEqual([
      {
        threadId: id,
        sourceUpdatedAt: NOW - 50,
        rawMemory: 'R',
        rolloutSummary: 'S',
        rolloutSlug: null,
        generatedAt: NOW - 50,
        rolloutPath: `/codex/rollout-${id}.jsonl`,
        cwd: '/work/0001',
        gitBranch: 'main',
        usageCount: 2,
        lastUsage: NOW - 10,
        selectedForPhase2: false,
        selectedForPhase2SourceUpdatedAt: null,
      },
    ]);
  });
});

describe('retained, previous and removed (seed §5.11)', () => {
  it('retains a selected row only when it is flagged with its current snapshot', () => {
    addOutput(tid('1'), { src: NOW - 10, flagged: true, snapshot: NOW - 10 }); // same snapshot
    addOutput(tid('2'), { src: NOW - 20, flagged: true, snapshot: NOW - 30 }); // regenerated since
    addOutput(tid('3'), { src: NOW - 30, flagged: false, snapshot: NOW - 30 }); // not flagged
    addOutput(tid('4'), { src: NOW - 40 }); // new
    const s = select(10);
    expect(s.retainedThreadIds).toEqual([tid('1')]);
    expect(s.addedCount).toBe(3);
    expect(s.removed).toEqual([]);
  });

  it('lists every flagged row, unfiltered, by source_updated_at DESC then thread_id DESC; removed keeps that order', () => {
    const old = NOW - 100 * DAY;
    addOutput(tid('1'), { src: NOW - 5, flagged: true, snapshot: NOW - 5 }); // still selected
    addOutput(tid('2'), { src: NOW - 5, flagged: true, snapshot: NOW - 5 }, 'polluted');
    addOutput(tid('3'), { src: old, flagged: true, snapshot: old }); // stale
    addOutput(tid('4'), {
      src: NOW - 1,
      raw: ' ',
      summary: ' ',
      flagged: true,
      snapshot: NOW - 1,
      slug: null,
    });
    addOutput(tid('5'), { src: NOW - 9, flagged: true, snapshot: NOW - 9 }, 'disabled');
    addOutput(tid('6'), { src: NOW }); // new, unflagged: never in previous
    const s = select(10);
    expect(ids(s.selected)).toEqual([tid('6'), tid('1')]);
    expect(ids(s.previousSelected)).toEqual([tid('4'), tid('2'), tid('1'), tid('5'), tid('3')]);
    expect(s.removed).toEqual([
      { threadId: tid('4'), sourceUpdatedAt: NOW - 1, rolloutSlug: null },
      { threadId: tid('2'), sourceUpdatedAt: NOW - 5, rolloutSlug: 'slug-02' },
      { threadId: tid('5'), sourceUpdatedAt: NOW - 9, rolloutSlug: 'slug-05' },
      { threadId: tid('3'), sourceUpdatedAt: old, rolloutSlug: 'slug-03' },
    ]);
    expect(s.retainedThreadIds).toEqual([tid('1')]);
    expect(s.addedCount).toBe(1);
  });

  it('removes a previously selected row that falls out of the top N', () => {
    addOutput(tid('1'), { src: NOW - 10, flagged: true, snapshot: NOW - 10 });
    addOutput(tid('2'), { src: NOW - 5, usageCount: 1, lastUsage: NOW - 5 });
    const s = select(1);
    expect(ids(s.selected)).toEqual([tid('2')]);
    expect(s.removed).toEqual([{ threadId: tid('1'), sourceUpdatedAt: NOW - 10, rolloutSlug: 'slug-01' }]);
    expect(s.addedCount).toBe(1);
  });
});
