import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stateMigrations } from '../../migrations/index.ts';
import { openDatabase, type Db } from './connection.ts';
import { migrate } from './migrate.ts';

/** Seed §1.1: `<base>_<version>.sqlite`. */
export const STATE_DB_VERSION = 5;
export const stateDbFileName = `state_${STATE_DB_VERSION}.sqlite`;

/**
 * Seed §1.1 legacy cleanup, made conservative: remove unversioned and *older* versioned files of
 * `base` (plus -wal/-shm/-journal). Unlike the seed, newer versions are left alone so a downgrade
 * never destroys a newer app's data.
 */
export function cleanupLegacyDbFiles(dir: string, base: string, version: number): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const stem = name.replace(/-(wal|shm|journal)$/, '');
    const m = new RegExp(`^${base}(?:_(\\d+))?\\.sqlite$`).exec(stem);
    if (!m) continue;
    const v = m[1] === undefined ? -1 : Number(m[1]);
    if (v >= version) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // Best effort, as in the seed: a file we cannot delete is simply left behind.
    }
  }
  return removed;
}

export function openStateDb(dataDir: string): Db {
  cleanupLegacyDbFiles(dataDir, 'state', STATE_DB_VERSION);
  const db = openDatabase(join(dataDir, stateDbFileName));
  try {
    migrate(db, stateMigrations, 'state');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
