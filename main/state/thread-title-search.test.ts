import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMeta } from '../test-support/thread-meta.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import type { Db } from './connection.ts';
import { openStateDb } from './state-db.ts';
import { createThreadLister, TITLE_WALK_ROWS, type ListQuery } from './thread-list.ts';
import { createThreadRepo } from './thread-repo.ts';

let db: Db;
let cleanup: () => void;
const base: ListQuery = { limit: 20, sortKey: 'updated_at', archived: false };
const ROWS = TITLE_WALK_ROWS + 1000;
const id = (i: number): string => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`;

/** What the seed's plain scan returns: every matching title, newest first, ties by id. */
function seedAnswer(term: string, limit: number): string[] {
  const rows = db
    .prepare(
      `SELECT id FROM threads WHERE archived = 0 AND first_user_message <> '' AND instr(title, ?) > 0
       ORDER BY updated_at DESC, id DESC LIMIT ?`,
    )
    .all(term, limit) as { id: string }[];
  return rows.map((r) => r.id);
}

beforeAll(() => {
  const t = makeTempDir();
  cleanup = t.cleanup;
  db = openStateDb(t.dir);
  const repo = createThreadRepo(db);
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      // "common" is in every 3rd title; "Rare" only in three old threads; one title has quotes.
      let title = i % 3 === 0 ? `common task ${i}` : `other work ${i}`;
      if (i === 7 || i === 11 || i === 13) title = `a Rare bug ${i}`;
      if (i === 17) title = 'say "hi" to résumé';
      repo.upsert({
        meta: makeMeta({ id: id(i), updatedAt: 1_000 + i, title }),
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

describe('title search (seed instr semantics, trigram-assisted)', () => {
  const list = () => createThreadLister(db);
  const ids = (q: ListQuery): string[] => list()(q).items.map((t) => t.id);

  it('a term common among recent threads fills the page from the newest-first walk', () => {
    expect(ids({ ...base, searchTerm: 'common' })).toEqual(seedAnswer('common', 20));
  });

  it('a rare term found only in old threads comes back in full through the trigram index', () => {
    expect(ids({ ...base, searchTerm: 'Rare' })).toEqual([id(13), id(11), id(7)]);
  });

  it('stays case-sensitive, as the seed is', () => {
    expect(ids({ ...base, searchTerm: 'rare' })).toEqual([]);
    expect(ids({ ...base, searchTerm: 'RARE' })).toEqual([]);
  });

  it('finds absent terms, quotes, non-ASCII and short terms exactly like the seed', () => {
    for (const term of ['no-such-term', '"hi"', 'résumé', 'é', 'ta', 'k 4', 'bug 1']) {
      expect(ids({ ...base, searchTerm: term }), term).toEqual(seedAnswer(term, 20));
    }
  });

  it('pages through a rare term with the keyset cursor', () => {
    const first = list()({ ...base, limit: 2, searchTerm: 'Rare' });
    expect(first.items.map((t) => t.id)).toEqual([id(13), id(11)]);
    const second = list()({ ...base, limit: 2, searchTerm: 'Rare', cursor: first.nextCursor });
    expect(second.items.map((t) => t.id)).toEqual([id(7)]);
    expect(second.nextCursor).toBeNull();
  });

  it('follows renamed and deleted threads (the index is kept by triggers)', () => {
    const repo = createThreadRepo(db);
    repo.upsert({
      meta: makeMeta({ id: id(7), updatedAt: 1_007, title: 'renamed thread' }),
      memoryMode: null,
      dynamicTools: null,
    });
    expect(ids({ ...base, searchTerm: 'Rare' })).toEqual([id(13), id(11)]);
    expect(ids({ ...base, searchTerm: 'renamed' })).toEqual([id(7)]);
    repo.delete(id(11));
    expect(ids({ ...base, searchTerm: 'Rare' })).toEqual([id(13)]);
    const check = db.prepare(
      "INSERT INTO threads_title_fts(threads_title_fts, rank) VALUES ('integrity-check', 1)",
    );
    expect(() => check.run()).not.toThrow();
  });

  it('uses the trigram index for the rare-term plan', () => {
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT threads.id FROM (SELECT rowid AS hit FROM threads_title_fts WHERE threads_title_fts MATCH '"Rare"')
         CROSS JOIN threads ON threads.rowid = hit WHERE archived = 0 AND instr(title, 'Rare') > 0
         ORDER BY updated_at DESC, id DESC LIMIT 21`,
      )
      .all() as { detail: string }[];
    const text = plan.map((p) => p.detail).join('\n');
    expect(text).toMatch(/VIRTUAL TABLE INDEX \d+:M/);
    expect(text).toMatch(/USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  });
});
