import { createHash } from 'node:crypto';
import type { Migration } from '../../migrations/index.ts';
import { AppError } from '../core/app-error.ts';
import type { Db } from './connection.ts';

const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS _threadscope_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT`;

export const checksumOf = (sql: string): string => createHash('sha384').update(sql).digest('hex');

export interface MigrateResult {
  applied: number[];
  version: number;
}

/**
 * Apply pending migrations in one transaction, before any handler runs. Refuses a DB written by a
 * newer app (unknown applied version) and one whose applied migration text was edited since.
 */
export function migrate(db: Db, migrations: readonly Migration[], label: string): MigrateResult {
  db.exec(BOOKKEEPING);
  const applied = db
    .prepare('SELECT version, name, checksum FROM _threadscope_migrations ORDER BY version')
    .all() as { version: number; name: string; checksum: string }[];
  const known = new Map(migrations.map((m) => [m.version, m]));
  const latest = migrations.at(-1)?.version ?? 0;

  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      throw new AppError(
        'DB_TOO_NEW',
        `The ${label} database has schema version ${row.version} (${row.name}) but this Threadscope knows only up to ${latest}. ` +
          'It was written by a newer Threadscope: update the app, or point it at another data dir.',
      );
    }
    if (checksumOf(m.sql) !== row.checksum) {
      throw new AppError(
        'MIGRATION_EDITED',
        `Migration ${String(row.version).padStart(4, '0')}_${row.name} of the ${label} database was changed after it was applied. ` +
          'Applied migrations are immutable: restore the original file and add a new migration instead.',
      );
    }
  }

  const done = new Set(applied.map((r) => r.version));
  const pending = migrations.filter((m) => !done.has(m.version));
  if (pending.length > 0) {
    const record = db.prepare(
      'INSERT INTO _threadscope_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const m of pending) {
        db.exec(m.sql);
        record.run(m.version, m.name, checksumOf(m.sql), Math.floor(Date.now() / 1000));
      }
    })();
  }
  return { applied: pending.map((m) => m.version), version: latest };
}
