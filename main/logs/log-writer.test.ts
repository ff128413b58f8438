import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../state/connection.ts';
import { DROPPED_TARGET, LOG_QUEUE_CAPACITY, LogWriter, type LogWriterOptions } from './log-writer.ts';
import { allLogs, tempLogsDb } from './logs-test-support.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(opts: LogWriterOptions = {}): { db: Db; writer: LogWriter } {
  const t = tempLogsDb();
  const writer = new LogWriter(t.db, { processUuid: 'pid:42:test', flushIntervalMs: 0, ...opts });
  cleanups.push(() => {
    void writer.close();
    t.cleanup();
  });
  return { db: t.db, writer };
}

const info = (
  message: string,
  threadId?: string,
): { level: 'INFO'; target: string; message: string; threadId?: string } =>
  threadId === undefined
    ? { level: 'INFO', target: 'threadscope::test', message }
    : { level: 'INFO', target: 'threadscope::test', message, threadId };

describe('LogWriter', () => {
  it('has every row queued before flush() on disk, in queue order, when it resolves', async () => {
    const { db, writer } = setup();
    for (let i = 0; i < 300; i++) writer.log(info(`a${i}`, i % 2 ? 'thread-1' : undefined));
    expect(allLogs(db)).toHaveLength(0); // nothing is written synchronously by log()
    await writer.flush();
    const first = allLogs(db);
    expect(first.map((r) => r.message)).toEqual(Array.from({ length: 300 }, (_, i) => `a${i}`));
    expect(first.every((r, i) => i === 0 || r.id > first[i - 1]!.id)).toBe(true);
    expect(first.every((r) => r.process_uuid === 'pid:42:test')).toBe(true);
    expect(first.filter((r) => r.thread_id === 'thread-1')).toHaveLength(150);
    expect(first[0]!.thread_id).toBeNull();
    for (let i = 0; i < 5; i++) writer.log(info(`b${i}`));
    await writer.flush();
    expect(
      allLogs(db)
        .map((r) => r.message)
        .slice(300),
    ).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
  });

  it('computes estimated bytes and stamps the time when the caller gives none', async () => {
    const { db, writer } = setup();
    const before = Math.floor(Date.now() / 1000);
    writer.log({
      level: 'WARN',
      target: 'mod',
      message: 'héllo',
      modulePath: 'main/x',
      file: 'x.ts',
      line: 3,
    });
    await writer.flush();
    const [row] = allLogs(db);
    expect(row!.estimated_bytes).toBe(6 + 4 + 3 + 6 + 4);
    expect(row!.ts).toBeGreaterThanOrEqual(before);
    expect(row!.level).toBe('WARN');
  });

  it('writes a full batch on the next turn of the event loop without an explicit flush', async () => {
    const { db, writer } = setup({ batchSize: 128 });
    for (let i = 0; i < 128; i++) writer.log(info(`r${i}`));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(allLogs(db)).toHaveLength(128);
    expect(writer.queuedCount).toBe(0);
  });

  it('counts rows refused by a full queue and writes one row saying how many once space frees', async () => {
    const { db, writer } = setup();
    const accepted = Array.from({ length: LOG_QUEUE_CAPACITY + 88 }, (_, i) => writer.log(info(`q${i}`)));
    expect(accepted.filter((a) => !a)).toHaveLength(88);
    expect(writer.droppedCount).toBe(88);
    await writer.flush();
    const rows = allLogs(db);
    expect(rows).toHaveLength(LOG_QUEUE_CAPACITY + 1);
    expect(rows.slice(0, LOG_QUEUE_CAPACITY).map((r) => r.message)).toEqual(
      Array.from({ length: LOG_QUEUE_CAPACITY }, (_, i) => `q${i}`),
    );
    const note = rows.at(-1)!;
    expect(note).toMatchObject({ level: 'WARN', target: DROPPED_TARGET, process_uuid: 'pid:42:test' });
    expect(note.message).toMatch(/^88 log rows were dropped/);
    expect(writer.droppedCount).toBe(0);
    await writer.flush();
    expect(allLogs(db)).toHaveLength(LOG_QUEUE_CAPACITY + 1);
  });

  it('close() flushes what is queued; rows logged after close are refused and counted', async () => {
    const { db, writer } = setup();
    writer.log(info('last'));
    await writer.close();
    expect(allLogs(db).map((r) => r.message)).toEqual(['last']);
    expect(writer.log(info('late'))).toBe(false);
    expect(writer.droppedCount).toBe(1);
  });

  it('keeps failed rows counted and reports the error instead of losing them silently', async () => {
    const errors: Error[] = [];
    const { db, writer } = setup({ onError: (e) => errors.push(e) });
    db.exec('DROP TABLE logs');
    writer.log(info('lost'));
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect(writer.droppedCount).toBe(1);
  });

  it('enforces the caps on what it writes', async () => {
    const { db, writer } = setup({ caps: { maxRows: 10, maxBytes: 1 << 20 } });
    for (let i = 0; i < 100; i++) writer.log({ ...info(`c${i}`, 't'), ts: 1_000 + i, tsNanos: 0 });
    await writer.flush();
    expect(allLogs(db).map((r) => r.message)).toEqual(Array.from({ length: 10 }, (_, i) => `c${90 + i}`));
  });
});
