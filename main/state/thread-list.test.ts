import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMeta } from '../test-support/thread-meta.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import type { Db } from './connection.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { openStateDb } from './state-db.ts';
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
