import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMeta } from '../test-support/thread-meta.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import type { Db } from './connection.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { openStateDb } from './state-db.ts';
import { createFacetQuery, SOURCE_KIND_SQL } from './thread-facets.ts';
import { createThreadLister, type ListQuery } from './thread-list.ts';
import { createThreadRepo } from './thread-repo.ts';

let db: Db;
let cleanup: () => void;
const base: ListQuery = { limit: 50, sortKey: 'updated_at', archived: false };
const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';
const C = '00000000-0000-7000-8000-00000000000c';

beforeAll(() => {
  const t = makeTempDir();
  cleanup = t.cleanup;
  db = openStateDb(t.dir);
  const repo = createThreadRepo(db);
  const put = (o: Parameters<typeof makeMeta>[0]): void =>
    repo.upsert({ meta: makeMeta(o), memoryMode: null, dynamicTools: null });
  // Seed §10 vector 2: A(updated 100), B(updated 100, larger id), C(updated 90).
  put({ id: A, updatedAt: 100, createdAt: 10, title: 'Please fix it' });
  put({
    id: B,
    updatedAt: 100,
    createdAt: 20,
    title: 'Fix it',
    cwd: '/p/b',
    model: 'gpt-5.5',
    source: 'exec',
  });
  put({ id: C, updatedAt: 90, createdAt: 30, title: 'third', modelProvider: 'ollama' });
  put({ id: '00000000-0000-7000-8000-0000000000d0', updatedAt: 95, title: '', firstUserMessage: '' });
  put({
    id: '00000000-0000-7000-8000-0000000000e0',
    updatedAt: 99,
    archived: true,
    archivedAt: 99,
    title: 'old',
  });
});
afterAll(() => {
  db.close();
  cleanup();
});

describe('thread list (seed §2.5, §10.2)', () => {
  it('pages by keyset with ties broken by id: [B], [A], [C]', () => {
    const list = createThreadLister(db);
    const ids: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = list({ ...base, limit: 1, cursor });
      ids.push(page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual([[B], [A], [C]]);
  });

  it('never lists threads without a user message unless asked', () => {
    const list = createThreadLister(db);
    expect(list(base).items.map((t) => t.id)).not.toContain('00000000-0000-7000-8000-0000000000d0');
    expect(list({ ...base, includeWithoutUserMessage: true }).items.map((t) => t.id)).toContain(
      '00000000-0000-7000-8000-0000000000d0',
    );
  });

  it('matches searchTerm as a case-sensitive substring of the title', () => {
    const list = createThreadLister(db);
    expect(list({ ...base, searchTerm: 'fix' }).items.map((t) => t.title)).toEqual(['Please fix it']);
    expect(list({ ...base, searchTerm: '' }).items).toHaveLength(3);
  });

  it('filters by archived, source, provider, model, cwd and date range', () => {
    const list = createThreadLister(db);
    const ids = (q: Partial<ListQuery>): string[] => list({ ...base, ...q }).items.map((t) => t.id);
    expect(ids({ archived: true })).toEqual(['00000000-0000-7000-8000-0000000000e0']);
    expect(ids({ sources: ['exec'] })).toEqual([B]);
    expect(ids({ modelProviders: ['ollama'] })).toEqual([C]);
    expect(ids({ models: ['gpt-5.5'] })).toEqual([B]);
    expect(ids({ cwd: '/p/b' })).toEqual([B]);
    expect(ids({ from: 91, to: 100 })).toEqual([B, A]);
    expect(ids({ sortKey: 'created_at' })).toEqual([C, B, A]);
  });

  it('rejects a malformed cursor with a clear error', () => {
    const list = createThreadLister(db);
    expect(() => list({ ...base, cursor: 'nope' })).toThrowError(/invalid cursor/);
    expect(() => list({ ...base, cursor: `2026-01-01T00:00:00Z|${A}|x` })).toThrowError(/invalid cursor/);
    expect(() => list({ ...base, cursor: '2026-01-01T00:00:00Z|not-a-uuid' })).toThrowError(/invalid cursor/);
  });

  it('round-trips cursors and accepts the file-name timestamp form', () => {
    expect(decodeCursor(encodeCursor({ ts: 1_772_359_200, id: A }))).toEqual({ ts: 1_772_359_200, id: A });
    expect(decodeCursor(`2026-03-01T10-00-00|${A}`)).toEqual({ ts: 1_772_359_200, id: A });
  });

  it('walks the sort index instead of sorting (query plan)', () => {
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    const updated = plan(
      "SELECT id FROM threads WHERE archived = 0 AND first_user_message <> '' ORDER BY updated_at DESC, id DESC LIMIT 51",
    );
    expect(updated).toMatch(/idx_threads_archived_updated/);
    expect(updated).not.toMatch(/TEMP B-TREE/);
    const created = plan(
      "SELECT id FROM threads WHERE archived = 0 AND first_user_message <> '' ORDER BY created_at DESC, id DESC LIMIT 51",
    );
    expect(created).toMatch(/idx_threads_archived_created/);
    expect(created).not.toMatch(/TEMP B-TREE/);
    const byCwd = plan(
      "SELECT id FROM threads WHERE archived = 0 AND cwd = '/p' ORDER BY updated_at DESC, id DESC LIMIT 51",
    );
    expect(byCwd).not.toMatch(/TEMP B-TREE/);
  });
});

describe('branch and source-kind filters, facets', () => {
  const SPAWN = JSON.stringify({ subagent: { thread_spawn: { parent_thread_id: A, depth: 1 } } });
  let fdb: Db;
  let fcleanup: () => void;
  beforeAll(() => {
    const t = makeTempDir();
    fcleanup = t.cleanup;
    fdb = openStateDb(t.dir);
    const repo = createThreadRepo(fdb);
    const put = (o: Parameters<typeof makeMeta>[0]): void =>
      repo.upsert({ meta: makeMeta(o), memoryMode: null, dynamicTools: null });
    put({ id: A, updatedAt: 300, gitBranch: 'main', source: 'cli' });
    put({ id: B, updatedAt: 200, gitBranch: 'feat/x', source: SPAWN });
    put({ id: C, updatedAt: 100, gitBranch: null, source: '{"subagent":"review"}', cwd: '/p/c' });
    put({ id: '00000000-0000-7000-8000-0000000000d0', updatedAt: 50, gitBranch: 'main', source: 'exec' });
    put({ id: '00000000-0000-7000-8000-0000000000e0', gitBranch: 'old', archived: true, archivedAt: 1 });
  });
  afterAll(() => {
    fdb.close();
    fcleanup();
  });

  it('filters by git branch (IN) and by source kind, sub-agents folded into one kind', () => {
    const list = createThreadLister(fdb);
    const ids = (q: Partial<ListQuery>): string[] => list({ ...base, ...q }).items.map((t) => t.id);
    expect(ids({ gitBranches: ['main'] })).toEqual([A, '00000000-0000-7000-8000-0000000000d0']);
    expect(ids({ gitBranches: ['feat/x', 'main'] })).toHaveLength(3);
    expect(ids({ gitBranches: ['old'] })).toEqual([]);
    expect(ids({ gitBranches: [] })).toHaveLength(4);
    expect(ids({ sourceKinds: ['subagent'] })).toEqual([B, C]);
    expect(ids({ sourceKinds: ['cli', 'exec'] })).toEqual([A, '00000000-0000-7000-8000-0000000000d0']);
    expect(ids({ sourceKinds: ['subagent'], gitBranches: ['feat/x'] })).toEqual([B]);
    // Paging keeps the filter: the cursor anchors inside the filtered set.
    const first = list({ ...base, limit: 1, sourceKinds: ['subagent'] });
    const second = list({ ...base, limit: 1, sourceKinds: ['subagent'], cursor: first.nextCursor });
    expect(second.items[0]?.id).toBe(C);
  });

  it('keeps walking the sort index with branch and source-kind filters (query plan)', () => {
    const list = createThreadLister(fdb);
    list({ ...base, gitBranches: ['main'], sourceKinds: ['subagent'] });
    const plan = (
      fdb
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM threads WHERE archived = 0 AND first_user_message <> ''
           AND ${SOURCE_KIND_SQL} IN ('subagent') AND git_branch IN ('main') ORDER BY updated_at DESC, id DESC LIMIT 51`,
        )
        .all() as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/idx_threads_archived_updated/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('gives branch and source-kind facets with counts over the archived partition', () => {
    const facets = createFacetQuery(fdb);
    const live = facets(false);
    expect(live.branches).toEqual([
      { value: 'main', count: 2 },
      { value: 'feat/x', count: 1 },
    ]);
    expect(live.sourceKinds).toEqual([
      { value: 'subagent', count: 2 },
      { value: 'cli', count: 1 },
      { value: 'exec', count: 1 },
    ]);
    expect(live.sources).toHaveLength(4);
    expect(live.cwds).toContainEqual({ value: '/p/c', count: 1 });
    expect(facets(true).branches).toEqual([{ value: 'old', count: 1 }]);
  });
});
