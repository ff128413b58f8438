import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLogsDb, logsDbFileName } from './logs-db.ts';
import { tempLogsDb } from './logs-test-support.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('logs DB', () => {
  it('creates logs_1.sqlite with the seed schema, indexes and connection settings', () => {
    const t = tempLogsDb();
    cleanups.push(t.cleanup);
    expect(existsSync(join(t.dir, logsDbFileName))).toBe(true);
    expect(logsDbFileName).toBe('logs_1.sqlite');
    expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(t.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const cols = (t.db.prepare('PRAGMA table_info(logs)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual([
      'id',
      'ts',
      'ts_nanos',
      'level',
      'target',
      'message',
      'module_path',
      'file',
      'line',
      'thread_id',
      'process_uuid',
      'estimated_bytes',
    ]);
    const indexes = (
      t.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'logs'").all() as {
        name: string;
      }[]
    ).map((i) => i.name);
    expect(indexes).toEqual(
      expect.arrayContaining([
        'idx_logs_ts',
        'idx_logs_thread_id',
        'idx_logs_process_uuid',
        'idx_logs_thread_id_ts',
        'idx_logs_process_uuid_threadless_ts',
      ]),
    );
  });

  it('reopens an existing logs DB without re-applying its migration', () => {
    const t = tempLogsDb();
    cleanups.push(t.cleanup);
    t.db.prepare("INSERT INTO logs (ts, ts_nanos, level, target) VALUES (1, 0, 'INFO', 'x')").run();
    t.db.close();
    const again = openLogsDb(t.dir);
    expect(again.prepare('SELECT count(*) AS n FROM logs').get()).toEqual({ n: 1 });
    again.close();
  });
});
