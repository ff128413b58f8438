import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codexSqliteHome, readCodexConfig } from '../core/codex-config.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { CodexLogs, findCodexLogsDb } from './codex-logs.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const tempDir = (): string => {
  const t = makeTempDir('threadscope-codex-logs-');
  cleanups.push(t.cleanup);
  return t.dir;
};

/** Codex's `logs_migrations/0001_logs.sql` (seed §4.1), as Codex itself creates it. */
const SEED_SCHEMA = `
CREATE TABLE logs (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, ts_nanos INTEGER NOT NULL,
  level TEXT NOT NULL, target TEXT NOT NULL, message TEXT, module_path TEXT, file TEXT, line INTEGER,
  thread_id TEXT, process_uuid TEXT, estimated_bytes INTEGER NOT NULL DEFAULT 0);
CREATE INDEX idx_logs_ts ON logs (ts DESC, ts_nanos DESC, id DESC);
CREATE INDEX idx_logs_thread_id ON logs (thread_id);
CREATE INDEX idx_logs_process_uuid ON logs (process_uuid);
CREATE INDEX idx_logs_thread_id_ts ON logs (thread_id, ts DESC, ts_nanos DESC, id DESC);`;

/** A writable connection the way Codex opens its DB (WAL, NORMAL, 5 s busy timeout). */
function codexDb(file: string, schema = SEED_SCHEMA): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(schema);
  return db;
}

const insert = (db: Database.Database, n: number, from = 0): void => {
  const st = db.prepare(
    `INSERT INTO logs (ts, ts_nanos, level, target, message, thread_id, process_uuid)
     VALUES (?, 0, ?, 'codex_core::codex', ?, ?, 'pid:9:codex')`,
  );
  db.transaction(() => {
    for (let i = from; i < from + n; i++)
      st.run(1_800_000_000 + i, i % 3 ? 'INFO' : 'WARN', `m${i}`, `t${i % 2}`);
  })();
};

describe('finding Codex logs DB', () => {
  it('takes logs_N.sqlite with the highest N and ignores anything else', () => {
    const dir = tempDir();
    for (const f of [
      'logs_1.sqlite',
      'logs_12.sqlite',
      'logs_3.sqlite',
      'logs_99.sqlite-wal',
      'logs.sqlite',
      'logs_x.sqlite',
    ])
      writeFileSync(join(dir, f), '');
    expect(findCodexLogsDb(dir)).toBe(join(dir, 'logs_12.sqlite'));
    expect(findCodexLogsDb(join(dir, 'missing'))).toBeNull();
  });

  it("resolves Codex's sqlite home: config sqlite_home, then CODEX_SQLITE_HOME, then CODEX_HOME", () => {
    const home = tempDir();
    expect(codexSqliteHome(home, {}, '/work')).toBe(home);
    expect(codexSqliteHome(home, { CODEX_SQLITE_HOME: ' rel/db ' }, '/work')).toBe('/work/rel/db');
    expect(codexSqliteHome(home, { CODEX_SQLITE_HOME: '  ' }, '/work')).toBe(home);
    writeFileSync(join(home, 'config.toml'), 'model = "o3"\nsqlite_home = "/var/codex-db"\n');
    expect(codexSqliteHome(home, { CODEX_SQLITE_HOME: '/elsewhere' }, '/work')).toBe('/var/codex-db');
    writeFileSync(join(home, 'config.toml'), 'model = [broken');
    const bad = readCodexConfig(home);
    expect(bad.ok).toBe(false);
    expect(codexSqliteHome(home, { CODEX_SQLITE_HOME: '/elsewhere' }, '/work', bad)).toBe('/elsewhere');
  });
});

describe('CodexLogs', () => {
  it('says where it looked when there is no DB, and picks one up when it appears', () => {
    const home = tempDir();
    const logs = new CodexLogs(home);
    cleanups.push(() => logs.close());
    const none = logs.refresh();
    expect(none.available).toBe(false);
    expect(none.notice).toContain(home);
    const w = codexDb(join(home, 'logs_1.sqlite'));
    cleanups.push(() => w.close());
    insert(w, 5);
    const s = logs.refresh();
    expect(s.available && s.reader.range().maxId).toBe(5);
  });

  it('reads while Codex holds a write transaction, never blocks it, and sees its commits', () => {
    const home = tempDir();
    const w = codexDb(join(home, 'logs_1.sqlite'));
    cleanups.push(() => w.close());
    insert(w, 100);
    const logs = new CodexLogs(home);
    cleanups.push(() => logs.close());
    const s = logs.refresh();
    if (!s.available) throw new Error(s.notice);
    expect(s.reader.page({ minLevel: 'WARN' }, null, 500).rows).toHaveLength(34);

    // Codex mid-transaction: our reads answer at once from the last commit.
    w.pragma('busy_timeout = 0');
    w.exec('BEGIN IMMEDIATE');
    insert(w, 10, 100);
    expect(s.reader.page({}, null, 500).rows).toHaveLength(100);
    expect(s.reader.tail({}, 0, 500).rows).toHaveLength(100);
    w.exec('COMMIT');
    expect(s.reader.tail({}, 100, 500).rows.map((r) => r.message)).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${100 + i}`),
    );
    // With our connection open and just used, Codex can still take its write lock without waiting and
    // checkpoint the whole WAL: we hold no lock between queries.
    w.exec('BEGIN IMMEDIATE');
    w.exec('COMMIT');
    const [ck] = w.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    expect(ck?.busy).toBe(0);
  });

  it('keeps answering while another process writes continuously (no SQLITE_BUSY reaches the caller)', async () => {
    const home = tempDir();
    const file = join(home, 'logs_1.sqlite');
    codexDb(file).close();
    const logs = new CodexLogs(home);
    cleanups.push(() => logs.close());
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)});
      db.pragma('journal_mode = WAL'); db.pragma('busy_timeout = 5000');
      const st = db.prepare("INSERT INTO logs (ts, ts_nanos, level, target, message) VALUES (?, 0, 'INFO', 'w', ?)");
      const batch = db.transaction((k) => { for (let i = 0; i < 200; i++) st.run(1800000000 + k, 'b' + k); });
      for (let k = 0; k < 150; k++) { batch(k); if (k % 10 === 0) db.pragma('wal_checkpoint(PASSIVE)'); }
      db.close();`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let reads = 0;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      const s = logs.refresh();
      if (!s.available) throw new Error(s.notice);
      const page = s.reader.page({ text: 'b1' }, null, 50);
      expect(page.rows.every((r) => (r.message ?? '').startsWith('b1'))).toBe(true);
      s.reader.tail({}, 0, 10);
      reads++;
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(reads).toBeGreaterThan(0);
    const s = logs.refresh();
    expect(s.available && s.reader.range().maxId).toBe(30_000);
  });

  it('adapts to an older table without some columns: they read as null and filters on them match nothing', () => {
    const home = tempDir();
    const w = codexDb(
      join(home, 'logs_1.sqlite'),
      'CREATE TABLE logs (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, level TEXT NOT NULL, target TEXT NOT NULL, message TEXT, thread_id TEXT);',
    );
    cleanups.push(() => w.close());
    w.prepare(
      "INSERT INTO logs (ts, level, target, message, thread_id) VALUES (1800000000, 'INFO', 'x', 'hello', 't1')",
    ).run();
    const logs = new CodexLogs(home);
    cleanups.push(() => logs.close());
    const s = logs.refresh();
    if (!s.available) throw new Error(s.notice);
    expect(s.reader.shape.missing).toEqual(['ts_nanos', 'module_path', 'file', 'line', 'process_uuid']);
    expect(s.notice).toContain('process_uuid');
    const [row] = s.reader.page({ threadIds: ['t1'] }, null, 10).rows;
    expect(row).toMatchObject({
      message: 'hello',
      tsNanos: 0,
      processUuid: null,
      file: null,
      threadId: 't1',
    });
    expect(s.reader.page({ process: 'pid:1:x' }, null, 10).rows).toEqual([]);
    expect(s.reader.page({ fromMs: 1_800_000_000_000 }, null, 10).rows).toHaveLength(1);
  });

  it('reports a file that is not a logs DB instead of failing, and reopens a replaced file', () => {
    const home = tempDir();
    const file = join(home, 'logs_1.sqlite');
    writeFileSync(file, 'not a database at all, just text that is long enough to not be empty'.repeat(20));
    const logs = new CodexLogs(home);
    cleanups.push(() => logs.close());
    const bad = logs.refresh();
    expect(bad.available).toBe(false);
    expect(bad.notice).toMatch(/cannot be read/);

    mkdirSync(join(home, 'next'));
    const w = codexDb(join(home, 'next', 'logs_1.sqlite'));
    insert(w, 3);
    w.close();
    renameSync(join(home, 'next', 'logs_1.sqlite'), file);
    const good = logs.refresh();
    expect(good.available && good.reader.range().maxId).toBe(3);
    const before = statSync(file).mtimeMs;
    if (good.available) good.reader.page({}, null, 10);
    expect(statSync(file).mtimeMs).toBe(before); // read-only: the DB file itself is never written
  });
});
