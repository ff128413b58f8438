import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogRecord } from '../../preload/contract/logs.ts';
import { openStateDb } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { parseRfc3339 } from './cli-logs-args.ts';
import {
  capture,
  codexDb,
  insert,
  logsCliDirs,
  messages,
  runLogsCli,
  T0,
  type Row,
} from './cli-logs-test-support.ts';

const { cleanups, dirs, appLogs } = logsCliDirs();

describe('logs backfill and formats', () => {
  it('prints the newest N rows oldest first (default 200)', async () => {
    const { data, db } = appLogs();
    insert(
      db,
      Array.from({ length: 250 }, (_, i) => ({ ms: T0 + i * 1000, message: `m${i}` })),
    );
    const three = await runLogsCli(['--data-dir', data, '--limit', '3']);
    expect(three.code).toBe(0);
    expect(messages(three.lines)).toEqual(['m247', 'm248', 'm249']);
    const all = await runLogsCli(['--data-dir', data]);
    expect(all.lines).toHaveLength(200);
    expect(messages(all.lines).slice(0, 2)).toEqual(['m50', 'm51']);
    expect((await runLogsCli(['--data-dir', data, '--limit', '0'])).out).toBe('');
  });

  it('orders by time, not insertion, and prints the seed line formats without colour off a terminal', async () => {
    const { data, db } = appLogs();
    insert(db, [
      { ms: T0 + 5000, level: 'WARN', message: 'later', threadId: 'thr-1', target: 'threadscope::ingest' },
      { ms: T0, level: 'INFO', message: 'first', target: 'threadscope::app' },
    ]);
    const full = await runLogsCli(['--data-dir', data]);
    expect(full.lines).toEqual([
      '2026-03-01T10:00:00.123Z INFO  [-] threadscope::app - first',
      '2026-03-01T10:00:05.123Z WARN  [thr-1] threadscope::ingest - later',
    ]);
    const compact = await runLogsCli(['--data-dir', data, '--compact'], capture(false));
    expect(compact.lines).toEqual(['10:00:00 INFO  first', '10:00:05 WARN  later']);
    expect(compact.out).not.toContain('\x1b');
  });

  it('colours levels on a terminal unless NO_COLOR is set, and shows control characters escaped', async () => {
    const { data, db } = appLogs();
    insert(db, [{ ms: T0, level: 'ERROR', message: 'bad \x1b[2J thing' }]);
    const tty = await runLogsCli(['--data-dir', data], capture(true), { env: {} });
    expect(tty.out).toContain('\x1b[1;31mERROR\x1b[0m');
    expect(tty.out).toContain('bad \\x1b[2J thing');
    const noColor = await runLogsCli(['--data-dir', data], capture(true), { env: { NO_COLOR: '1' } });
    expect(noColor.lines).toEqual([
      '2026-03-01T10:00:00.123Z ERROR [-] threadscope::test - bad \\x1b[2J thing',
    ]);
  });

  it('--json prints one LogRecord with its source per line', async () => {
    const { data, db } = appLogs();
    insert(db, [
      { ms: T0, message: null, threadId: 't', processUuid: 'pid:1:x', modulePath: 'threadscope::m' },
      { ms: T0 + 1, level: 'DEBUG', message: 'two\nlines' },
    ]);
    const r = await runLogsCli(['--data-dir', data, '--json']);
    const rows = r.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.source).toBe('app');
      const { source: _source, ...record } = row;
      expect(LogRecord.strict().parse(record)).toEqual(record);
    }
    expect(rows[0]).toMatchObject({
      ts: Math.floor(T0 / 1000),
      tsNanos: 123_000_000,
      level: 'INFO',
      message: null,
      threadId: 't',
      processUuid: 'pid:1:x',
      modulePath: 'threadscope::m',
    });
    expect(rows[1]).toMatchObject({ message: 'two\nlines', tsNanos: 124_000_000 });
  });
});

describe('logs filters', () => {
  const rows: Row[] = [
    { ms: T0, level: 'TRACE', message: 'trace row', threadId: 'a' },
    { ms: T0 + 1000, level: 'DEBUG', message: 'debug row', threadId: 'b', processUuid: 'pid:1:p' },
    { ms: T0 + 2000, level: 'INFO', message: 'Info Row', target: 'codex_core::exec' },
    { ms: T0 + 3000, level: 'WARN', message: 'warn row', modulePath: 'threadscope::ingest::scan' },
    { ms: T0 + 4000, level: 'ERROR', message: 'error 100%_done', threadId: 'a', processUuid: 'pid:2:q' },
  ];
  const filtered = async (...args: string[]): Promise<string[]> => {
    const { data, db } = appLogs();
    insert(db, rows);
    const r = await runLogsCli(['--data-dir', data, '--compact', ...args]);
    expect(r.code).toBe(0);
    return r.lines.map((l) => l.slice(15));
  };

  it.each([
    [
      ['--level', 'warn'],
      ['warn row', 'error 100%_done'],
    ],
    [
      ['--level', 'Debug'],
      ['debug row', 'Info Row', 'warn row', 'error 100%_done'],
    ],
    [
      ['--thread', 'a'],
      ['trace row', 'error 100%_done'],
    ],
    [
      ['--thread', 'a', '--thread', 'b'],
      ['trace row', 'debug row', 'error 100%_done'],
    ],
    [
      ['--thread', 'b', '--threadless'],
      ['debug row', 'Info Row', 'warn row'],
    ],
    [['--threadless'], ['Info Row', 'warn row']],
    [['--target', 'EXEC'], ['Info Row']],
    [['--target', 'ingest::scan'], ['warn row']],
    [['--search', 'info row'], ['Info Row']],
    [['--search', '0%_'], ['error 100%_done']],
    [['--process', 'pid:2:q'], ['error 100%_done']],
    [
      ['--since', '2026-03-01T10:00:02.123Z'],
      ['Info Row', 'warn row', 'error 100%_done'],
    ],
    [
      ['--since', '2026-03-01T11:00:03+01:00'],
      ['warn row', 'error 100%_done'],
    ],
    [['--until', String(Math.floor(T0 / 1000) + 1)], ['trace row']],
    [
      ['--since', '2026-03-01T10:00:01Z', '--until', '2026-03-01T10:00:03.123Z'],
      ['debug row', 'Info Row', 'warn row'],
    ],
    [['--level', 'info', '--thread', 'a'], ['error 100%_done']],
  ])('%j', async (args, expected) => {
    expect(await filtered(...args)).toEqual(expected);
  });

  it('--since and --until take an age: 30m means 30 minutes ago', async () => {
    const { data, db } = appLogs();
    const now = Date.now();
    insert(db, [
      { ms: now - 3 * 3_600_000, message: 'three hours ago' },
      { ms: now - 2 * 60_000, message: 'two minutes ago' },
    ]);
    expect(messages((await runLogsCli(['--data-dir', data, '--since', '30m'])).lines)).toEqual([
      'two minutes ago',
    ]);
    expect(messages((await runLogsCli(['--data-dir', data, '--until', '1h'])).lines)).toEqual([
      'three hours ago',
    ]);
    expect(messages((await runLogsCli(['--data-dir', data, '--since', '1d'])).lines)).toHaveLength(2);
  });

  it('--subagents adds the sub-agents (recursively) of --thread from the state DB', async () => {
    const { data, db } = appLogs();
    const state = openStateDb(data);
    cleanups.push(() => void state.close());
    const repo = createThreadRepo(state);
    const id = (n: number): string => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
    const put = (n: number, parent: number | null): void =>
      repo.upsert({
        meta: makeMeta({ id: id(n), parentThreadId: parent === null ? null : id(parent) }),
        memoryMode: null,
        dynamicTools: null,
      });
    put(1, null);
    put(2, 1);
    put(3, 2);
    put(4, null);
    insert(
      db,
      [1, 2, 3, 4].map((n) => ({ ms: T0 + n * 1000, threadId: id(n), message: `thread ${n}` })),
    );
    const only = await runLogsCli(['--data-dir', data, '--thread', id(1)]);
    expect(messages(only.lines)).toEqual(['thread 1']);
    const family = await runLogsCli(['--data-dir', data, '--thread', id(1), '--subagents']);
    expect(messages(family.lines)).toEqual(['thread 1', 'thread 2', 'thread 3']);
  });
});

describe('logs from Codex', () => {
  it("reads Codex's logs DB with the seed schema (read-only)", async () => {
    const { home, data } = dirs();
    codexDb(home, [
      { ms: T0, message: 'codex one', threadId: 'th', target: 'codex_core::codex' },
      { ms: T0 + 1, level: 'WARN', message: 'codex two' },
    ]);
    const r = await runLogsCli(['--source', 'codex', '--codex-home', home, '--data-dir', data]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      '2026-03-01T10:00:00.123Z INFO  [th] codex_core::codex - codex one',
      '2026-03-01T10:00:00.124Z WARN  [-] threadscope::test - codex two',
    ]);
    expect(r.err).toBe('');
    expect(existsSync(join(data, 'logs_1.sqlite'))).toBe(false);
    const json = await runLogsCli(['--source', 'codex', '--codex-home', home, '--json', '--limit', '1']);
    expect(JSON.parse(json.out)).toMatchObject({ source: 'codex', message: 'codex two' });
  });

  it('reads an older table without process_uuid / estimated_bytes, and says what it lacks', async () => {
    const { home } = dirs();
    const older = `CREATE TABLE logs (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL,
      ts_nanos INTEGER NOT NULL, level TEXT NOT NULL, target TEXT NOT NULL, message TEXT, module_path TEXT,
      file TEXT, line INTEGER, thread_id TEXT)`;
    codexDb(
      home,
      [
        { ms: T0, message: 'old one', threadId: 'x' },
        { ms: T0 + 1000, message: 'old two' },
      ],
      older,
    );
    const r = await runLogsCli(['--source', 'codex', '--codex-home', home, '--compact']);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['10:00:00 INFO  old one', '10:00:01 INFO  old two']);
    expect(r.err).toMatch(/no process_uuid column/);
    const threaded = await runLogsCli([
      '--source',
      'codex',
      '--codex-home',
      home,
      '--compact',
      '--thread',
      'x',
    ]);
    expect(threaded.lines).toEqual(['10:00:00 INFO  old one']);
    const byProcess = await runLogsCli(['--source', 'codex', '--codex-home', home, '--process', 'pid:1:x']);
    expect(byProcess.code).toBe(0);
    expect(byProcess.out).toBe('');
  });
});

describe('logs errors', () => {
  it('a missing app logs DB exits 1 naming the path, and is not created', async () => {
    const { data } = dirs();
    const r = await runLogsCli(['--data-dir', data]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(data, 'logs_1.sqlite'));
    expect(r.err).toMatch(/does not exist yet/);
    expect(existsSync(join(data, 'logs_1.sqlite'))).toBe(false);
  });

  it('a missing Codex logs DB exits 1 saying where it was looked for', async () => {
    const { home } = dirs();
    const r = await runLogsCli(['--source', 'codex', '--codex-home', home]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Codex's logs database was not found in ${home}`);
  });

  it('--subagents without a state DB exits 1 naming it', async () => {
    const { data } = appLogs();
    const r = await runLogsCli(['--data-dir', data, '--thread', 'a', '--subagents']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(data, 'state_5.sqlite'));
  });

  it.each([
    [['--level', 'loud'], /--level: expected one of TRACE, DEBUG, INFO, WARN, ERROR/],
    [['--since', 'yesterday'], /--since: expected an RFC 3339 time/],
    [['--until', '2026-02-30T00:00:00Z'], /--until: expected/],
    [['--limit=-1'], /--limit: expected a whole number/],
    [['--limit', '1.5'], /--limit: expected a whole number/],
    [['--poll-ms', '0'], /--poll-ms: expected a whole number from 10/],
    [['--source', 'web'], /--source: expected app or codex/],
    [['--compact', '--json'], /cannot be combined/],
    [['--subagents'], /--subagents: give the parent thread/],
    [['--since', '1h', '--until', '2h'], /--since is later than --until/],
    [['--thread', ' '], /--thread: needs a value/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['positional'], /positional/],
  ])('%j exits 2 with usage', async (args, message) => {
    const r = await runLogsCli(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/Usage: npm run cli -- <command>/);
    expect(r.out).toBe('');
  });

  it('--help prints the usage (with logs) on stdout and exits 0', async () => {
    const r = await runLogsCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/logs {5}\[--source app\|codex\]/);
  });

  it('parses RFC 3339 offsets and fractions exactly', () => {
    expect(parseRfc3339('2026-03-01T10:00:00.123456Z')).toBe(T0);
    expect(parseRfc3339('2026-03-01t05:30:00.123-04:30')).toBe(T0);
    expect(parseRfc3339('2026-03-01 10:00:00.1239z')).toBe(T0);
    expect(parseRfc3339('2026-03-01T10:00:00')).toBeNull();
    expect(parseRfc3339('2026-03-01T24:00:00Z')).toBeNull();
  });
});
