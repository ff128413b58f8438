import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '../../preload/contract/index.ts';
import { AppError } from '../core/app-error.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import type { Db } from './connection.ts';
import { decodeProjectCursor, encodeCursor, encodeProjectCursor } from './cursor.ts';
import { openStateDb } from './state-db.ts';
import { createThreadLister, type ListQuery } from './thread-list.ts';
import { createThreadRepo } from './thread-repo.ts';

let db: Db;
let cleanup: () => void;
const grouped: ListQuery = { limit: 50, sortKey: 'updated_at', archived: false, groupBy: 'project' };
const id = (i: number): string => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`;
// Projects in cwd order: '' (no project) < '/a' < '/a|b' (a `|` in a path) < '/b' < '/c'.
const CWDS = ['/b', '', '/a', '/c', '/a|b'];

beforeAll(() => {
  const t = makeTempDir();
  cleanup = t.cleanup;
  db = openStateDb(t.dir);
  const repo = createThreadRepo(db);
  db.transaction(() => {
    for (let i = 1; i <= 40; i++) {
      repo.upsert({
        meta: makeMeta({
          id: id(i),
          cwd: CWDS[i % CWDS.length] ?? '',
          // Few distinct timestamps: ties inside a project and across projects.
          updatedAt: 1_000 + (i % 4) * 10,
          createdAt: 5_000 - (i % 3) * 10,
          title: i % 2 === 0 ? `fix bug ${i}` : `chore ${i}`,
          source: i % 5 === 0 ? 'exec' : 'cli',
          firstUserMessage: i === 39 ? '' : 'hello',
          archived: i === 38,
          archivedAt: i === 38 ? 1 : null,
        }),
        memoryMode: null,
        dynamicTools: null,
      });
    }
  })();
});
afterAll(() => {
  db.close();
  cleanup();
});

/** The expected order: cwd ascending (binary), then the sort column newest first, then id descending. */
function expected(rows: Thread[], sortKey: ListQuery['sortKey']): string[] {
  const ts = (t: Thread): number => (sortKey === 'updated_at' ? t.updatedAt : t.createdAt);
  return [...rows]
    .sort((x, y) =>
      x.cwd !== y.cwd ? (x.cwd < y.cwd ? -1 : 1) : ts(y) - ts(x) || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0),
    )
    .map((t) => t.id);
}

/** Every page of a query, concatenated. */
function walk(q: ListQuery): string[] {
  const list = createThreadLister(db);
  const out: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = list({ ...q, cursor });
    out.push(...page.items.map((t) => t.id));
    cursor = page.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return out;
}

describe('thread list grouped by project (cwd, sort column, id keyset)', () => {
  it('orders by project then newest first, paging exactly across group boundaries and ties', () => {
    for (const sortKey of ['updated_at', 'created_at'] as const) {
      const all = createThreadLister(db)({ ...grouped, sortKey, limit: 500 }).items;
      expect(all).toHaveLength(38);
      const want = expected(all, sortKey);
      expect(all.map((t) => t.id)).toEqual(want);
      for (const limit of [1, 2, 3, 7, 8, 37, 38]) {
        expect(walk({ ...grouped, sortKey, limit })).toEqual(want);
      }
    }
  });

  it('keeps every filter working while grouped', () => {
    const list = createThreadLister(db);
    const plain = (q: Partial<ListQuery>): Thread[] =>
      list({ ...grouped, ...q, groupBy: 'none', limit: 500 }).items;
    const cases: Partial<ListQuery>[] = [
      { sources: ['exec'] },
      { sourceKinds: ['cli'] },
      { modelProviders: ['openai'] },
      { models: ['gpt-5'] },
      { cwd: '/a|b' },
      { from: 1_010, to: 1_020 },
      { searchTerm: 'fix' }, // trigram-assisted: the newest-first walk, then the index for the tail
      { searchTerm: 'fi' }, // too short for a trigram: the plain walk
      { searchTerm: 'fix', sourceKinds: ['cli'], from: 1_000, to: 1_020 },
      { archived: true },
      { includeWithoutUserMessage: true },
    ];
    for (const q of cases) {
      const want = expected(plain(q), 'updated_at');
      expect(want.length, JSON.stringify(q)).toBeGreaterThan(0);
      expect(walk({ ...grouped, ...q, limit: 2 }), JSON.stringify(q)).toEqual(want);
    }
  });

  it('round-trips a project cursor whose path contains the separator', () => {
    const anchor = { cwd: '/a|b/ü', ts: 1_772_359_200, id: id(3) };
    expect(decodeProjectCursor(encodeProjectCursor(anchor))).toEqual(anchor);
  });

  it('refuses a cursor of the other kind with a clear INVALID_INPUT error', () => {
    const list = createThreadLister(db);
    const plainCursor = encodeCursor({ ts: 1_000, id: id(1) });
    const projectCursor = encodeProjectCursor({ cwd: '/a', ts: 1_000, id: id(1) });
    const err = (run: () => unknown): AppError => {
      try {
        run();
      } catch (e) {
        if (e instanceof AppError) return e;
        throw e;
      }
      throw new Error('expected an AppError');
    };
    const wrongForGrouped = err(() => list({ ...grouped, cursor: plainCursor }));
    expect(wrongForGrouped.code).toBe('INVALID_INPUT');
    expect(wrongForGrouped.message).toMatch(/not grouped by project/);
    const wrongForPlain = err(() => list({ ...grouped, groupBy: 'none', cursor: projectCursor }));
    expect(wrongForPlain.code).toBe('INVALID_INPUT');
    expect(wrongForPlain.message).toMatch(/grouped by project/);
    expect(err(() => list({ ...grouped, cursor: 'p1|@@|x' })).code).toBe('INVALID_INPUT');
    expect(err(() => list({ ...grouped, cursor: `p1|YQ|nope|${id(1)}` })).code).toBe('INVALID_INPUT');
  });

  it('walks an (archived, cwd, sort column) index instead of sorting, for both sort keys (query plan)', () => {
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    for (const col of ['updated_at', 'created_at']) {
      const filters = "archived = 0 AND first_user_message <> ''";
      const order = `ORDER BY cwd ASC, ${col} DESC, id DESC LIMIT 51`;
      const shapes = [
        `SELECT id FROM threads WHERE ${filters} ${order}`,
        `SELECT id FROM threads WHERE ${filters} AND cwd = '/a' AND ${col} <= 5 AND (${col} < 5 OR id < 'x') ${order}`,
        `SELECT id FROM threads WHERE ${filters} AND cwd > '/a' ${order}`,
        `SELECT id FROM threads WHERE ${filters} AND source IN ('exec') AND model IN ('gpt-5') ${order}`,
      ];
      for (const sql of shapes) {
        const p = plan(sql);
        expect(p, sql).toMatch(
          new RegExp(`idx_threads_archived_cwd_${col === 'updated_at' ? 'updated' : 'created'}`),
        );
        expect(p, sql).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
      }
    }
  });
});
