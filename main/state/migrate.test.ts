import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateMigrations } from '../../migrations/index.ts';
import type { AppError } from '../core/app-error.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { openDatabase } from './connection.ts';
import { checksumOf, migrate } from './migrate.ts';
import { cleanupLegacyDbFiles, openStateDb, stateDbFileName } from './state-db.ts';

const temps: (() => void)[] = [];
const temp = (): string => {
  const t = makeTempDir();
  temps.push(t.cleanup);
  return t.dir;
};
afterEach(() => temps.splice(0).forEach((c) => c()));

const columns = (db: ReturnType<typeof openStateDb>, table: string): string[] =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('state DB', () => {
  it('opens with the seed connection settings', () => {
    const db = openStateDb(temp());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('creates every seed table with every column', () => {
    const db = openStateDb(temp());
    expect(columns(db, 'threads')).toEqual(
      expect.arrayContaining([
        'id',
        'rollout_path',
        'created_at',
        'updated_at',
        'source',
        'model_provider',
        'cwd',
        'title',
        'sandbox_policy',
        'approval_mode',
        'tokens_used',
        'has_user_event',
        'archived',
        'archived_at',
        'git_sha',
        'git_branch',
        'git_origin_url',
        'cli_version',
        'first_user_message',
        'agent_nickname',
        'agent_role',
        'memory_mode',
      ]),
    );
    expect(columns(db, 'stage1_outputs')).toEqual([
      'thread_id',
      'source_updated_at',
      'raw_memory',
      'rollout_summary',
      'generated_at',
      'rollout_slug',
      'usage_count',
      'last_usage',
      'selected_for_phase2',
      'selected_for_phase2_source_updated_at',
    ]);
    expect(columns(db, 'jobs')).toEqual([
      'kind',
      'job_key',
      'status',
      'worker_id',
      'ownership_token',
      'started_at',
      'finished_at',
      'lease_until',
      'retry_at',
      'retry_remaining',
      'last_error',
      'input_watermark',
      'last_success_watermark',
    ]);
    expect(columns(db, 'backfill_state')).toEqual([
      'id',
      'status',
      'last_watermark',
      'last_success_at',
      'updated_at',
    ]);
    expect(columns(db, 'thread_dynamic_tools')).toEqual([
      'thread_id',
      'position',
      'name',
      'description',
      'input_schema',
    ]);
    const indexes = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(indexes).toEqual(
      expect.arrayContaining([
        'idx_threads_created_at',
        'idx_threads_updated_at',
        'idx_threads_archived',
        'idx_threads_source',
        'idx_threads_provider',
        'idx_stage1_outputs_source_updated_at',
        'idx_jobs_kind_status_retry_lease',
        'idx_thread_dynamic_tools_thread',
      ]),
    );
    expect(db.prepare('SELECT status FROM backfill_state WHERE id = 1').get()).toEqual({ status: 'pending' });
    db.close();
  });

  it('cascades thread deletion to stage-1 outputs and dynamic tools', () => {
    const db = openStateDb(temp());
    db.prepare(
      `INSERT INTO threads (id, rollout_path, created_at, updated_at, source, model_provider, cwd, title, sandbox_policy, approval_mode)
       VALUES ('t1', '/r', 1, 1, 'cli', 'openai', '/w', 'x', '{}', 'never')`,
    ).run();
    db.prepare(
      "INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary, generated_at) VALUES ('t1', 1, 'm', 's', 1)",
    ).run();
    db.prepare("INSERT INTO thread_dynamic_tools VALUES ('t1', 0, 'n', 'd', '{}')").run();
    db.prepare("DELETE FROM threads WHERE id = 't1'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM stage1_outputs').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM thread_dynamic_tools').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('migration runner', () => {
  it('applies every migration once and records checksums', () => {
    const file = join(temp(), 'm.sqlite');
    const db = openDatabase(file);
    const first = migrate(db, stateMigrations, 'state');
    expect(first.applied).toEqual(stateMigrations.map((m) => m.version));
    expect(migrate(db, stateMigrations, 'state').applied).toEqual([]);
    const rows = db
      .prepare('SELECT version, checksum FROM _threadscope_migrations ORDER BY version')
      .all() as {
      version: number;
      checksum: string;
    }[];
    expect(rows.map((r) => r.checksum)).toEqual(stateMigrations.map((m) => checksumOf(m.sql)));
    db.close();
  });

  it('refuses a DB written by a newer app', () => {
    const db = openDatabase(join(temp(), 'm.sqlite'));
    migrate(db, stateMigrations, 'state');
    db.prepare("INSERT INTO _threadscope_migrations VALUES (9999, 'future', 'x', 0)").run();
    expect(() => migrate(db, stateMigrations, 'state')).toThrowError(/newer Threadscope/);
    try {
      migrate(db, stateMigrations, 'state');
    } catch (err) {
      expect((err as AppError).code).toBe('DB_TOO_NEW');
    }
    db.close();
  });

  it('refuses an applied migration whose text was edited', () => {
    const db = openDatabase(join(temp(), 'm.sqlite'));
    const edited = stateMigrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    migrate(db, stateMigrations, 'state');
    expect(() => migrate(db, edited, 'state')).toThrowError(/changed after it was applied/);
    db.close();
  });

  it('rolls back a failing batch as a whole', () => {
    const db = openDatabase(join(temp(), 'm.sqlite'));
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'bad', sql: 'CREATE TABLE oops (' },
    ];
    expect(() => migrate(db, broken, 'test')).toThrow();
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('gives a clear error for a file that is not a database', () => {
    const dir = temp();
    writeFileSync(join(dir, stateDbFileName), 'this is not sqlite'.repeat(100));
    expect(() => openStateDb(dir)).toThrowError(/not a usable SQLite database/);
  });
});

describe('legacy DB file cleanup', () => {
  it('removes unversioned and older files, keeps current, newer and unrelated ones', () => {
    const dir = temp();
    const names = [
      'state.sqlite',
      'state_4.sqlite',
      'state_4.sqlite-wal',
      'state_5.sqlite',
      'state_6.sqlite',
      'state_5.sqlite.bak',
      'state_x.sqlite',
      'logs_1.sqlite',
    ];
    for (const n of names) writeFileSync(join(dir, n), '');
    expect(cleanupLegacyDbFiles(dir, 'state', 5).sort()).toEqual([
      'state.sqlite',
      'state_4.sqlite',
      'state_4.sqlite-wal',
    ]);
    for (const n of [
      'state_5.sqlite',
      'state_6.sqlite',
      'state_5.sqlite.bak',
      'state_x.sqlite',
      'logs_1.sqlite',
    ]) {
      expect(existsSync(join(dir, n))).toBe(true);
    }
  });
});
