import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../preload/contract/logs.ts';
import { buildFixtureHome, haveRealFixtures, NO_FIXTURES_MESSAGE } from '../test-support/fixture-home.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { createAppCore, type AppCore } from './app-core.ts';

const { cleanups, dirs } = perTestDirs();

async function started(): Promise<AppCore> {
  const { home, data } = dirs();
  buildFixtureHome(home);
  const core = await createAppCore({
    codexHome: home,
    dataDir: data,
    shell: 'test',
    watch: false,
    log: () => {},
  });
  cleanups.push(() => core.close());
  await core.start();
  return core;
}

async function appLogs(core: AppCore): Promise<LogRecord[]> {
  await core.logs.flush();
  const r = await core.router.dispatch('logs:query', { source: 'app', limit: 500 }, { transport: 'test' });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { rows: LogRecord[] }).rows;
}

describe.skipIf(!haveRealFixtures)(
  `the app's own logs (${haveRealFixtures ? 'real fixtures' : NO_FIXTURES_MESSAGE})`,
  () => {
    it('logs start-up and ingestion with the thread each row concerns', async () => {
      const core = await started();
      const rows = await appLogs(core);
      const process = rows[0]?.processUuid;
      expect(process).toMatch(/^pid:\d+:/);
      expect(rows.every((r) => r.processUuid === process)).toBe(true);
      expect(rows.some((r) => r.target === 'threadscope::app' && /started/.test(r.message ?? ''))).toBe(true);
      const scan = rows.find((r) => /^initial scan: 15 rollout files seen/.test(r.message ?? ''));
      expect(scan?.level).toBe('INFO');
      const indexed = rows.filter((r) => r.message?.startsWith('thread indexed: "'));
      expect(indexed.length).toBe(14);
      expect(indexed.every((r) => r.threadId !== null && r.target === 'threadscope::ingest')).toBe(true);
      // The empty rollout in the corpus is a problem, logged as a warning about its thread.
      const problem = rows.find((r) => r.level === 'WARN' && /^cannot ingest/.test(r.message ?? ''));
      expect(problem?.threadId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('logs what a call changed, and why a call failed, with the thread it concerns', async () => {
      const core = await started();
      const list = await core.router.dispatch('threads:list', { limit: 1 }, { transport: 'test' });
      if (!list.ok) throw new Error(list.error.message);
      const [thread] = (list.value as { items: { id: string }[] }).items;
      const id = thread?.id ?? '';
      const archived = await core.router.dispatch('threads:archive', { id }, { transport: 'test' });
      expect(archived.ok).toBe(true);
      const missing = '00000000-0000-7000-8000-00000000dead';
      const failed = await core.router.dispatch('threads:get', { id: missing }, { transport: 'test' });
      expect(failed.ok).toBe(false);
      const rows = await appLogs(core);
      expect(rows.find((r) => r.message === 'threads:archive done')).toMatchObject({
        level: 'INFO',
        threadId: id,
      });
      const why = rows.find((r) => r.message?.startsWith('threads:get failed'));
      expect(why).toMatchObject({ level: 'WARN', threadId: missing, target: 'threadscope::ipc' });
    });
  },
);
