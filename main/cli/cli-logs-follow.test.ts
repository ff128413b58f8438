import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './cli.ts';
import { capture, codexDb, insert, logsCliDirs, T0 } from './cli-logs-test-support.ts';

const { dirs, appLogs } = logsCliDirs();

describe('logs --follow', () => {
  const waitFor = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 10_000, interval: 10 });

  it('prints matching rows inserted after the start, then stops cleanly on abort', async () => {
    const { data, db } = appLogs();
    insert(db, [{ ms: T0, message: 'before start' }]);
    const out = capture();
    const err = capture();
    const stop = new AbortController();
    const done = runCli(
      ['logs', '--data-dir', data, '--follow', '--poll-ms', '10', '--level', 'info', '--compact'],
      out,
      err,
      null,
      { signal: stop.signal },
    );
    await waitFor(() => expect(out.lines()).toEqual(['10:00:00 INFO  before start']));
    insert(db, [
      { ms: T0 + 1000, level: 'DEBUG', message: 'filtered out' },
      { ms: T0 + 2000, message: 'live one' },
    ]);
    await waitFor(() => expect(out.lines()).toHaveLength(2));
    insert(db, [{ ms: T0 + 3000, level: 'ERROR', message: 'live two' }]);
    await waitFor(() => expect(out.lines()).toHaveLength(3));
    stop.abort();
    expect(await done).toBe(0);
    expect(out.lines()).toEqual([
      '10:00:00 INFO  before start',
      '10:00:02 INFO  live one',
      '10:00:03 ERROR live two',
    ]);
    expect(err.text()).toBe('');
  });

  it('with nothing to backfill, tails from the newest id', async () => {
    const { data, db } = appLogs();
    insert(db, [{ ms: T0, message: 'old' }]);
    const out = capture();
    const err = capture();
    const stop = new AbortController();
    const done = runCli(
      ['logs', '--data-dir', data, '--follow', '--poll-ms', '10', '--limit', '0', '--compact'],
      out,
      err,
      null,
      { signal: stop.signal },
    );
    insert(db, [{ ms: T0 + 1000, message: 'new' }]);
    await waitFor(() => expect(out.lines()).toEqual(['10:00:01 INFO  new']));
    stop.abort();
    expect(await done).toBe(0);
  });

  it('waits for a Codex DB that appears, says when it disappears, and reads its replacement', async () => {
    const { home } = dirs();
    const out = capture();
    const err = capture();
    const stop = new AbortController();
    const done = runCli(
      ['logs', '--source', 'codex', '--codex-home', home, '--follow', '--poll-ms', '10', '--compact'],
      out,
      err,
      null,
      { signal: stop.signal },
    );
    await waitFor(() => expect(err.text()).toMatch(/not found in .*\nWaiting for it/));
    codexDb(home, [
      { ms: T0, message: 'a1' },
      { ms: T0 + 1000, message: 'a2' },
      { ms: T0 + 2000, message: 'a3' },
    ]);
    await waitFor(() =>
      expect(out.lines()).toEqual(['10:00:00 INFO  a1', '10:00:01 INFO  a2', '10:00:02 INFO  a3']),
    );
    const live = new Database(join(home, 'logs_1.sqlite'));
    insert(live, [{ ms: T0 + 3000, message: 'a4' }]);
    live.close();
    await waitFor(() => expect(out.lines()).toHaveLength(4));
    rmSync(join(home, 'logs_1.sqlite'));
    await waitFor(() => expect(err.text()).toMatch(/Waiting for it to come back/));
    codexDb(home, [{ ms: T0 + 9000, message: 'b1' }]);
    await waitFor(() => expect(out.lines()).toHaveLength(5));
    stop.abort();
    expect(await done).toBe(0);
    expect(out.lines().at(-1)).toBe('10:00:09 INFO  b1');
    expect(err.text()).toMatch(/Reading .*logs_1\.sqlite/);
  });
});
