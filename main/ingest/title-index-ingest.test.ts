import { afterEach, describe, expect, it } from 'vitest';
import { createSlicer } from '../core/time-slice.ts';
import type { Db } from '../state/connection.ts';
import { openStateDb } from '../state/state-db.ts';
import { createThreadLister } from '../state/thread-list.ts';
import { createTitleIndex } from '../state/title-index.ts';
import { buildFixtureHome, haveRealFixtures, NO_FIXTURES_MESSAGE } from '../test-support/fixture-home.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { createIngestService } from './ingest-service.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function setup(): { home: string; db: Db } {
  const home = makeTempDir();
  const data = makeTempDir();
  const db = openStateDb(data.dir);
  cleanups.push(home.cleanup, data.cleanup, () => db.close());
  buildFixtureHome(home.dir);
  return { home: home.dir, db };
}

/** Title search answered through the trigram plan must equal the seed's plain instr() scan. */
function expectSearchMatchesScan(db: Db, term: string): void {
  const list = createThreadLister(db);
  const got = list({ limit: 50, sortKey: 'updated_at', archived: false, searchTerm: term }).items.map(
    (t) => t.id,
  );
  const scan = (
    db
      .prepare(
        `SELECT id FROM threads WHERE archived = 0 AND first_user_message <> '' AND instr(title, ?) > 0
         ORDER BY updated_at DESC, id DESC LIMIT 50`,
      )
      .all(term) as { id: string }[]
  ).map((r) => r.id);
  expect(got, term).toEqual(scan);
}

describe.skipIf(!haveRealFixtures)(
  `title index during ingestion${haveRealFixtures ? '' : ` (${NO_FIXTURES_MESSAGE})`}`,
  () => {
    for (const [name, deferAt] of [
      ['maintained row by row by the triggers', 10_000],
      ['suspended for a large ingest and rebuilt right after it (bulk load)', 1],
    ] as const) {
      it(name, async () => {
        const { home, db } = setup();
        const ingest = createIngestService({
          db,
          codexHome: home,
          defaultProvider: 'openai',
          slicer: createSlicer(),
          deferTitleIndexAt: deferAt,
          bulkLoadMinFiles: deferAt,
        });
        const summary = await ingest.scanAll();
        expect(summary.threadsUpserted).toBeGreaterThan(10);
        await ingest.idle();
        await ingest.close();
        expect(createTitleIndex(db).isReady()).toBe(true);
        expect(db.prepare('SELECT count(*) FROM suspended_indexes').pluck().get()).toBe(0);
        expect(
          db
            .prepare(
              "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'threads' AND sql IS NOT NULL",
            )
            .pluck()
            .get(),
        ).toBeGreaterThan(5);
        const indexed = db.prepare('SELECT count(*) FROM threads_title_fts').pluck().get();
        expect(indexed).toBe(db.prepare('SELECT count(*) FROM threads').pluck().get());
        db.prepare(
          "INSERT INTO threads_title_fts(threads_title_fts, rank) VALUES ('integrity-check', 1)",
        ).run();
        for (const term of ['memory stats', 'README', 'traduci', 'Review the code', 'no-such-term-here']) {
          expectSearchMatchesScan(db, term);
        }
        expect(
          createThreadLister(db)({
            limit: 5,
            sortKey: 'updated_at',
            archived: false,
            searchTerm: 'memory stats',
          }).items.length,
        ).toBe(1);
      });
    }

    it('answers by a plain scan while suspended, and a later run rebuilds an index left suspended', async () => {
      const { home, db } = setup();
      const ingest = createIngestService({
        db,
        codexHome: home,
        defaultProvider: 'openai',
        slicer: createSlicer(),
      });
      await ingest.scanAll();
      const index = createTitleIndex(db);
      index.suspend(); // as if a large ingest died before its rebuild
      db.prepare(
        "UPDATE threads SET title = 'renamed while suspended' WHERE rowid = (SELECT min(rowid) FROM threads)",
      ).run();
      expectSearchMatchesScan(db, 'renamed while suspended');
      await ingest.scanAll();
      await ingest.idle();
      await ingest.close();
      expect(index.isReady()).toBe(true);
      expectSearchMatchesScan(db, 'renamed while suspended');
      db.prepare(
        "INSERT INTO threads_title_fts(threads_title_fts, rank) VALUES ('integrity-check', 1)",
      ).run();
    });
  },
);
