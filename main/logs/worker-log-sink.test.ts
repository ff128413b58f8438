import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { DEFAULT_LOG_CAPS } from './log-caps.ts';
import { DROPPED_TARGET, LogWriter } from './log-writer.ts';
import { logsDbFileName, openLogsDb } from './logs-db.ts';
import { allLogs } from './logs-test-support.ts';
import { workerLogSink } from './worker-log-sink.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup() {
  const t = makeTempDir('threadscope-logs-worker-');
  cleanups.push(t.cleanup);
  const db = openLogsDb(t.dir);
  cleanups.push(() => {
    db.close();
  });
  const commits: number[] = [];
  const errors: string[] = [];
  const sink = workerLogSink(
    new URL('./logs-worker.ts', import.meta.url),
    { dbFile: join(t.dir, logsDbFileName), caps: DEFAULT_LOG_CAPS, maxTxRows: 1_024, retentionDays: null },
    { onCommit: (maxId) => commits.push(maxId), onError: (e) => errors.push(e.message) },
  );
  const writer = new LogWriter(sink, { processUuid: 'pid:7:test', flushIntervalMs: 0 });
  cleanups.push(() => writer.close());
  return { db, writer, commits, errors };
}

const row = (message: string) => ({ level: 'INFO' as const, target: 'threadscope::test', message });

describe('LogWriter over the logs worker', () => {
  it('commits on the worker in queue order and resolves flush() only once the rows are on disk', async () => {
    const { db, writer, commits } = setup();
    for (let i = 0; i < 400; i++) writer.log(row(`m${i}`));
    await writer.flush();
    expect(allLogs(db).map((r) => r.message)).toEqual(Array.from({ length: 400 }, (_, i) => `m${i}`));
    expect(commits.at(-1)).toBe(400);
    expect(writer.droppedCount).toBe(0);
  });

  it('counts the rows of a transaction that failed on the worker and reports them once writing works again', async () => {
    const { db, writer, errors } = setup();
    writer.log(row('before'));
    await writer.flush();
    db.exec('ALTER TABLE logs RENAME TO logs_away');
    for (let i = 0; i < 5; i++) writer.log(row(`lost ${i}`));
    await writer.flush();
    expect(errors.join('\n')).toMatch(/writing logs failed: .*no such table/);
    db.exec('ALTER TABLE logs_away RENAME TO logs');
    writer.log(row('after'));
    await writer.flush();
    const rows = allLogs(db);
    expect(rows.map((r) => r.message)).toContain('after');
    expect(rows.some((r) => (r.message ?? '').startsWith('lost'))).toBe(false);
    const report = rows.find((r) => r.target === DROPPED_TARGET);
    expect(report?.message).toBe('5 log rows were dropped (log queue full or a write failed)');
    expect(writer.droppedCount).toBe(0);
  });
});
