import { describe, expect, it } from 'vitest';
import type { LogSource } from '../../preload/contract/logs.ts';
import { AppError } from '../core/app-error.ts';
import { noYield } from '../core/time-slice.ts';
import { openStateDb } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { DROPPED_TARGET } from './log-writer.ts';
import { openLogsDb } from './logs-db.ts';
import { createLogsService, type LogsService, type LogsServiceOptions } from './logs-service.ts';

const { cleanups, dirs } = perTestDirs();

const PARENT = '00000000-0000-7000-8000-00000000a001';
const CHILD = '00000000-0000-7000-8000-00000000a002';
const GRANDCHILD = '00000000-0000-7000-8000-00000000a003';
const OTHER = '00000000-0000-7000-8000-00000000a004';
const WORKER = new URL('./logs-worker.ts', import.meta.url);

interface Setup {
  logs: LogsService;
  appended: { source: LogSource; maxId: number }[];
  nextAppended: () => Promise<{ source: LogSource; maxId: number }>;
  data: string;
}

function setup(o: Partial<LogsServiceOptions> = {}): Setup {
  const { home, data } = dirs();
  const state = openStateDb(data);
  const repo = createThreadRepo(state);
  for (const [id, parent] of [
    [PARENT, null],
    [CHILD, PARENT],
    [GRANDCHILD, CHILD],
    [OTHER, null],
  ] as const)
    repo.upsert({ meta: makeMeta({ id, parentThreadId: parent }), memoryMode: 'enabled', dynamicTools: [] });
  const appended: Setup['appended'] = [];
  let waiting: ((e: Setup['appended'][number]) => void) | null = null;
  const logs = createLogsService({
    dataDir: data,
    codexHome: home,
    stateDb: state,
    worker: null,
    slicer: noYield,
    watchCodex: false,
    mirror: null,
    onAppended: (source, maxId) => {
      appended.push({ source, maxId });
      waiting?.({ source, maxId });
      waiting = null;
    },
    ...o,
  });
  cleanups.push(async () => {
    await logs.close();
    state.close();
  });
  return {
    logs,
    appended,
    data,
    nextAppended: () => new Promise((resolve) => (waiting = resolve)),
  };
}

const query = (logs: LogsService, filter: Parameters<LogsService['query']>[0]['filter'], limit = 500) =>
  logs.query({ source: 'app', filter, limit });

describe.each([
  ['on this thread', null],
  ['on the logs worker', WORKER],
])('logs service, writer %s', (_name, worker) => {
  it('writes structured rows with the process uuid and thread ids, and tells readers the new max id', async () => {
    const { logs, nextAppended } = setup({ worker });
    const log = logs.logger.child('threadscope::ingest', 'main/ingest/ingest-service.ts');
    log.info('scan started');
    log.debug('thread indexed', { threadId: PARENT });
    log.warn('cannot ingest', { threadId: CHILD, file: '/codex/sessions/x.jsonl' });
    log.trace('too fine: below the default DEBUG level');
    const event = nextAppended();
    expect(await logs.flush()).toEqual({ dropped: 0 });
    expect(await event).toEqual({ source: 'app', maxId: 3 });
    const { rows } = query(logs, {});
    expect(rows.map((r) => r.message)).toEqual(['cannot ingest', 'thread indexed', 'scan started']);
    const status = logs.status('app');
    expect(rows.every((r) => r.processUuid === status.currentProcess)).toBe(true);
    expect(status.currentProcess).toMatch(/^pid:\d+:[0-9a-f-]{36}$/);
    expect(rows[0]).toMatchObject({
      level: 'WARN',
      target: 'threadscope::ingest',
      modulePath: 'threadscope::ingest',
      file: '/codex/sessions/x.jsonl',
      threadId: CHILD,
    });
    expect(rows[1]).toMatchObject({
      modulePath: 'threadscope::ingest',
      file: 'main/ingest/ingest-service.ts',
    });
    expect(status).toMatchObject({ available: true, maxId: 3, missingColumns: [] });
  });

  it('counts rows refused by a full queue and reports the count in the DB', async () => {
    const { logs } = setup({ worker });
    const log = logs.logger.child('threadscope::test');
    for (let i = 0; i < 2_000; i++) log.debug(`burst ${i}`);
    await logs.flush();
    const { rows } = query(logs, {}, 1_000);
    const report = rows.find((r) => r.target === DROPPED_TARGET);
    const kept = rows.filter((r) => r.target !== DROPPED_TARGET).length;
    expect(kept).toBe(512); // the seed's queue capacity
    expect(report?.message).toBe(`${2_000 - kept} log rows were dropped (log queue full or a write failed)`);
    expect(report?.level).toBe('WARN');
  });

  it('enforces configured caps and runs the configured retention at start-up', async () => {
    const { data } = dirs();
    const old = openLogsDb(data);
    old
      .prepare("INSERT INTO logs (ts, ts_nanos, level, target, message) VALUES (?, 0, 'INFO', 't', 'old')")
      .run(Math.floor(Date.now() / 1000) - 3 * 86_400);
    old.close();
    const state = openStateDb(data);
    const logs = createLogsService({
      dataDir: data,
      codexHome: data,
      stateDb: state,
      worker,
      slicer: noYield,
      watchCodex: false,
      onAppended: () => {},
      config: { retentionDays: 2, caps: { maxRows: 10, maxBytes: 1_000_000 } },
    });
    cleanups.push(async () => {
      await logs.close();
      state.close();
    });
    const log = logs.logger.child('threadscope::test');
    for (let i = 0; i < 50; i++) log.info(`r${i}`, { threadId: PARENT });
    await logs.flush();
    const { rows } = query(logs, {});
    expect(rows.map((r) => r.message)).toEqual(Array.from({ length: 10 }, (_, i) => `r${49 - i}`));
  });
});

describe('logs service queries', () => {
  it("expands a thread filter to the thread's sub-agents, recursively, when asked", async () => {
    const { logs } = setup();
    const log = logs.logger.child('threadscope::test');
    for (const id of [PARENT, CHILD, GRANDCHILD, OTHER]) log.info(`about ${id}`, { threadId: id });
    log.info('threadless');
    await logs.flush();
    const threads = (filter: Parameters<typeof query>[1]) =>
      query(logs, filter)
        .rows.map((r) => r.threadId)
        .sort();
    expect(threads({ threadIds: [PARENT] })).toEqual([PARENT]);
    expect(threads({ threadIds: [PARENT], includeSubagents: true })).toEqual(
      [PARENT, CHILD, GRANDCHILD].sort(),
    );
    expect(threads({ threadIds: [CHILD], includeSubagents: true, includeThreadless: true })).toEqual(
      [CHILD, GRANDCHILD, null].sort(),
    );
  });

  it('counts rows per bucket and level for the histogram', async () => {
    const { logs } = setup();
    const log = logs.logger.child('threadscope::test');
    for (let i = 0; i < 30; i++) (i % 3 === 0 ? log.warn : log.info)(`m${i}`);
    log.error('boom');
    await logs.flush();
    const h = await logs.histogram({ source: 'app', filter: {}, buckets: 10 });
    const sum = (k: 'INFO' | 'WARN' | 'ERROR') => h.counts.reduce((s, c) => s + c[k], 0);
    expect([sum('INFO'), sum('WARN'), sum('ERROR'), h.total]).toEqual([20, 10, 1, 31]);
    expect(h.toMs - h.fromMs).toBe(h.bucketMs * h.counts.length);
    const warnOnly = await logs.histogram({ source: 'app', filter: { minLevel: 'WARN' }, buckets: 10 });
    expect(warnOnly.total).toBe(11);
  });

  it('answers UNAVAILABLE with where it looked when Codex has no logs DB, and INVALID_INPUT for a bad cursor', () => {
    const { logs } = setup();
    const codex = logs.status('codex');
    expect(codex.available).toBe(false);
    expect(codex.notice).toMatch(/not found/);
    expect(() => logs.query({ source: 'codex', filter: {}, limit: 10 })).toThrow(AppError);
    try {
      logs.query({ source: 'app', filter: {}, cursor: 'garbage', limit: 10 });
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).code).toBe('INVALID_INPUT');
    }
    expect(logs.sources().map((s) => s.source)).toEqual(['app', 'codex']);
  });
});
