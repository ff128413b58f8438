import type { Db } from './connection.ts';

/** A scan bulk-loads when it reads at least this many files into a table holding fewer than a quarter as many. */
export const BULK_LOAD_MIN_FILES = 1000;

export function isBulkLoad(filesToRead: number, rowsNow: number, minFiles = BULK_LOAD_MIN_FILES): boolean {
  return filesToRead >= minFiles && rowsNow * 4 < filesToRead;
}

/**
 * Drops the secondary indexes of `threads` for a bulk load and rebuilds them afterwards. Keeping eleven
 * indexes current row by row was most of a first backfill's write time (~44 µs of ~50 µs per upsert);
 * building each once from sorted data afterwards costs a few ms per 10k rows. The statements wait in
 * `suspended_indexes` (migration 0007), so a crash mid-load is repaired by the next `restore()`.
 */
export function createBulkIndexes(db: Db) {
  const secondary = db.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'threads' AND sql IS NOT NULL",
  );
  const save = db.prepare('INSERT OR REPLACE INTO suspended_indexes (name, sql) VALUES (?, ?)');
  const saved = db.prepare('SELECT name, sql FROM suspended_indexes ORDER BY name');
  const anySaved = db.prepare('SELECT EXISTS (SELECT 1 FROM suspended_indexes)').pluck();
  const forget = db.prepare('DELETE FROM suspended_indexes WHERE name = ?');

  const suspend = db.transaction(() => {
    for (const { name, sql } of secondary.all() as { name: string; sql: string }[]) {
      save.run(name, sql);
      db.exec(`DROP INDEX IF EXISTS "${name.replaceAll('"', '""')}"`);
    }
  });
  const restore = db.transaction(() => {
    for (const { name, sql } of saved.all() as { name: string; sql: string }[]) {
      db.exec(sql.replace(/^CREATE (UNIQUE )?INDEX /i, 'CREATE $1INDEX IF NOT EXISTS '));
      forget.run(name);
    }
  });

  return {
    suspend: (): void => suspend(),
    /** Rebuilds whatever a suspend left dropped; a no-op (one lookup) when nothing is. */
    restore(): void {
      if (anySaved.get() === 1) restore();
    },
    isSuspended: (): boolean => anySaved.get() === 1,
  };
}
