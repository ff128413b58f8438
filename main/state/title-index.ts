import type { Db } from './connection.ts';

/** Below this many files to ingest, titles are indexed as rows arrive (triggers of migration 0007). */
export const TITLE_INDEX_DEFER_FILES = 1000;

/**
 * The trigram title index's maintenance switch. A large ingest suspends the triggers and rebuilds the
 * index once afterwards: one bulk pass instead of a tokenise per upsert inside the backfill's commits.
 * While suspended the thread list answers title searches by a plain scan, so results never go stale.
 */
export function createTitleIndex(db: Db) {
  const readyStmt = db.prepare('SELECT ready FROM title_index_state WHERE id = 1').pluck();
  const setReady = db.prepare('UPDATE title_index_state SET ready = ? WHERE id = 1');
  const rebuildStmt = db.prepare("INSERT INTO threads_title_fts(threads_title_fts) VALUES ('rebuild')");
  const rebuild = db.transaction(() => {
    rebuildStmt.run();
    setReady.run(1);
  });
  return {
    isReady: (): boolean => readyStmt.get() === 1,
    suspend: (): void => void setReady.run(0),
    /** Re-tokenises every title from `threads` and turns the triggers back on, atomically. */
    rebuild: (): void => rebuild(),
  };
}

export type TitleIndex = ReturnType<typeof createTitleIndex>;
