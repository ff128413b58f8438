import { join } from 'node:path';
import { logsMigrations } from '../../migrations/index.ts';
import { openDatabase, type Db } from '../state/connection.ts';
import { migrate } from '../state/migrate.ts';

/** Seed §4: `logs_<version>.sqlite`. */
export const LOGS_DB_VERSION = 1;
export const logsDbFileName = `logs_${LOGS_DB_VERSION}.sqlite`;

/** Opens (creating and migrating) `<dataDir>/logs_1.sqlite`: WAL, synchronous NORMAL, 5 s busy timeout. */
export function openLogsDb(dataDir: string): Db {
  const db = openDatabase(join(dataDir, logsDbFileName));
  try {
    migrate(db, logsMigrations, 'logs');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
