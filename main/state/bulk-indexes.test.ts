import { afterEach, describe, expect, it } from 'vitest';
import { makeMeta } from '../test-support/thread-meta.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { createBulkIndexes, isBulkLoad } from './bulk-indexes.ts';
import type { Db } from './connection.ts';
import { openStateDb } from './state-db.ts';
import { createThreadLister } from './thread-list.ts';
import { createThreadRepo } from './thread-repo.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function open(dir?: string): { db: Db; dir: string } {
  let d = dir;
  if (!d) {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    d = t.dir;
  }
  const db = openStateDb(d);
  cleanups.push(() => db.close());
  return { db, dir: d };
}

const indexSql = (db: Db): string[] =>
  (
    db
      .prepare(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'threads' AND sql IS NOT NULL ORDER BY name",
      )
      .all() as { sql: string }[]
  ).map((r) => r.sql.replace(' IF NOT EXISTS', ''));

describe('bulk-load index suspension', () => {
  it('bulk-loads only many files into a nearly empty table', () => {
    expect(isBulkLoad(20_000, 0)).toBe(true);
    expect(isBulkLoad(999, 0)).toBe(false);
    expect(isBulkLoad(5_000, 2_000)).toBe(false);
  });

  it('drops the secondary indexes of threads and rebuilds exactly the same ones', () => {
    const { db } = open();
    const before = indexSql(db);
    expect(before.length).toBeGreaterThan(5);
    const bulk = createBulkIndexes(db);
    bulk.suspend();
    expect(indexSql(db)).toEqual([]);
    expect(bulk.isSuspended()).toBe(true);
    const repo = createThreadRepo(db);
    for (let i = 0; i < 50; i++)
      repo.upsert({ meta: makeMeta({ updatedAt: 1_000 + i }), memoryMode: null, dynamicTools: null });
    // Lists stay correct without the indexes (only slower).
    expect(createThreadLister(db)({ limit: 5, sortKey: 'updated_at', archived: false }).items).toHaveLength(
      5,
    );
    bulk.restore();
    expect(indexSql(db)).toEqual(before);
    expect(bulk.isSuspended()).toBe(false);
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
  });

  it('restores indexes left dropped by a run that died mid-load, after a reopen', () => {
    const first = open();
    const before = indexSql(first.db);
    createBulkIndexes(first.db).suspend();
    first.db.close();
    const { db } = open(first.dir);
    expect(indexSql(db)).toEqual([]);
    createBulkIndexes(db).restore();
    expect(indexSql(db)).toEqual(before);
  });
});
