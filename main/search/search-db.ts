import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { searchMigrations } from '../../migrations/index.ts';
import { AppError } from '../core/app-error.ts';
import { openDatabase, type Db } from '../state/connection.ts';
import { migrate } from '../state/migrate.ts';
import { attachState } from './search-files-repo.ts';

export const SEARCH_DB_VERSION = 1;
export const searchDbFileName = `search_${SEARCH_DB_VERSION}.sqlite`;

/**
 * Opens (creating and migrating) `<dataDir>/search_1.sqlite`. It is a cache of the rollouts: a file
 * SQLite cannot read, or one whose applied migration differs, is deleted and rebuilt instead of failing
 * the app.
 */
export function openSearchDb(dataDir: string, stateDbFile: string): Db {
  const file = join(dataDir, searchDbFileName);
  const open = (): Db => {
    const db = openDatabase(file);
    try {
      migrate(db, searchMigrations, 'search');
      attachState(db, stateDbFile);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  };
  try {
    return open();
  } catch (err) {
    const code = err instanceof AppError ? err.code : (err as { code?: string }).code;
    // A newer app's index is left alone (like the state DB); anything else is rebuilt from the rollouts.
    if (
      code !== 'IO_ERROR' &&
      code !== 'MIGRATION_EDITED' &&
      code !== 'SQLITE_CORRUPT' &&
      code !== 'SQLITE_NOTADB'
    )
      throw err;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    return open();
  }
}
