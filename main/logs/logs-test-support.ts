import type { Db } from '../state/connection.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { openLogsDb } from './logs-db.ts';

/** A fresh logs DB in a temp dir; `cleanup()` closes it and removes the dir. */
export function tempLogsDb(): { db: Db; dir: string; cleanup: () => void } {
  const t = makeTempDir('threadscope-logs-');
  const db = openLogsDb(t.dir);
  return {
    db,
    dir: t.dir,
    cleanup: () => {
      if (db.open) db.close();
      t.cleanup();
    },
  };
}

export interface StoredLog {
  id: number;
  ts: number;
  ts_nanos: number;
  level: string;
  target: string;
  message: string | null;
  thread_id: string | null;
  process_uuid: string | null;
  estimated_bytes: number;
}

export const allLogs = (db: Db): StoredLog[] =>
  db
    .prepare(
      'SELECT id, ts, ts_nanos, level, target, message, thread_id, process_uuid, estimated_bytes FROM logs ORDER BY id',
    )
    .all() as StoredLog[];
