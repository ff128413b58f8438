import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Thread } from '../../preload/contract/index.ts';
import { createAppCore, type AppCore } from '../app/app-core.ts';
import type { WorkerScripts } from '../app/worker-url.ts';
import { buildFixtureHome, haveRealFixtures, NO_FIXTURES_MESSAGE } from '../test-support/fixture-home.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';

const ctx = { transport: 'test' } as const;
const { cleanups, dirs } = perTestDirs();

// Every scenario runs both ways ingestion is wired: on the calling thread (from source, time-sliced)
// and as shipped, on the ingest worker with extract workers (run from source via type stripping).
const modes: [string, WorkerScripts][] = [
  ['inline', { ingest: null, extract: null }],
  [
    'workers',
    {
      ingest: new URL('./ingest-worker.ts', import.meta.url),
      extract: new URL('../rollouts/extract-worker.ts', import.meta.url),
    },
  ],
];
let workers: WorkerScripts = { ingest: null, extract: null };

async function core(home: string, data: string, watch = false): Promise<AppCore> {
  const c = await createAppCore({ codexHome: home, dataDir: data, shell: 'test', watch, workers });
  cleanups.push(() => c.close());
  return c;
}

async function allThreads(c: AppCore, archived = false): Promise<Thread[]> {
  return (
    await c.handlers['threads:list'](
      { limit: 500, sortKey: 'created_at', archived, includeWithoutUserMessage: true },
      ctx,
    )
  ).items;
}

const ID = '019c0000-0000-7000-8000-000000000001';
const line = (o: unknown): string => `${JSON.stringify(o)}\n`;
const meta = (id = ID, ts = '2026-03-01T10:00:00.000Z'): string =>
  line({
    timestamp: ts,
    type: 'session_meta',
    payload: {
      id,
      timestamp: ts,
      cwd: '/w',
      originator: 'codex_cli_rs',
      cli_version: '0.111.0',
      source: 'cli',
      model_provider: 'openai',
    },
  });
const user = (text: string, ts = '2026-03-01T10:00:01.000Z'): string =>
  line({ timestamp: ts, type: 'event_msg', payload: { type: 'user_message', message: text, images: [] } });
const tokens = (n: number, ts = '2026-03-01T10:00:02.000Z'): string =>
  line({
    timestamp: ts,
    type: 'event_msg',
    payload: { type: 'token_count', info: { total_token_usage: { total_tokens: n } } },
  });
const rolloutPath = (home: string, id = ID): string =>
  join(home, 'sessions', '2026', '03', '01', `rollout-2026-03-01T10-00-00-${id}.jsonl`);

describe.each(modes)('ingest (%s)', (_name, scripts) => {
  beforeEach(() => {
    workers = scripts;
  });

  describe.skipIf(!haveRealFixtures)(
    `ingest of the real fixtures (${haveRealFixtures ? 'present' : NO_FIXTURES_MESSAGE})`,
    () => {
      it('backfills every file, records the empty one as a problem and completes the backfill', async () => {
        const { home, data } = dirs();
        const files = buildFixtureHome(home, (n) => n.includes('019b0093-0f99'));
        const c = await core(home, data);
        const summary = await c.start();
        expect(summary.filesSeen).toBe(files.length);
        expect(summary.problems.map((p) => p.message)).toEqual(['empty session file']);
        const live = await allThreads(c);
        const archived = await allThreads(c, true);
        expect(live.length + archived.length).toBe(files.length - 1);
        expect(archived.map((t) => t.id)).toEqual(['019b0093-0f99-75e3-9b62-65da9e3c9e61']);
        const status = await c.handlers['ingest:status']({}, ctx);
        expect(status.backfill.status).toBe('complete');
        expect(status.problemCount).toBe(1);
        expect(await c.handlers['ingest:problems']({ limit: 10 }, ctx)).toHaveLength(1);
      });

      it('re-scans an unchanged home without reading any file', async () => {
        const { home, data } = dirs();
        buildFixtureHome(home);
        const first = await core(home, data);
        await first.start();
        await first.close();
        const again = await core(home, data);
        const summary = await again.start();
        expect(summary.filesIngested).toBe(0);
        expect(summary.filesUnchanged).toBe(summary.filesSeen);
      });
    },
  );

  describe('incremental ingest', () => {
    it('resumes an appended file from its last offset with the same result as a full read', async () => {
      const { home, data } = dirs();
      const path = rolloutPath(home);
      mkdirSync(join(home, 'sessions', '2026', '03', '01'), { recursive: true });
      writeFileSync(path, meta() + user('first request') + tokens(100));
      const c = await core(home, data);
      await c.start();
      appendFileSync(
        path,
        user('second', '2026-03-01T11:00:00.000Z') +
          tokens(250, '2026-03-01T11:00:05.000Z') +
          '{"timestamp":"2026-03-01T11:00:06.000Z","type":"event_',
      );
      const s = await c.handlers['ingest:rescan']({}, ctx);
      expect(s.filesIngested).toBe(1);
      const resumed = await c.handlers['threads:get']({ id: ID }, ctx);
      expect(resumed).toMatchObject({
        title: 'first request',
        tokensUsed: 250,
        updatedAt: Date.parse('2026-03-01T11:00:05.000Z') / 1000,
      });

      const fresh = dirs();
      mkdirSync(join(fresh.home, 'sessions', '2026', '03', '01'), { recursive: true });
      writeFileSync(rolloutPath(fresh.home), readFileSync(path));
      const other = await core(fresh.home, fresh.data);
      await other.start();
      const full = await other.handlers['threads:get']({ id: ID }, ctx);
      expect({ ...resumed, rolloutPath: '' }).toEqual({ ...full, rolloutPath: '' });
    });

    it('records corrupt files as problems without losing other threads', async () => {
      const { home, data } = dirs();
      const dir = join(home, 'sessions', '2026', '03', '01');
      mkdirSync(dir, { recursive: true });
      writeFileSync(rolloutPath(home), meta() + user('good one'));
      writeFileSync(
        join(dir, 'rollout-garbage.jsonl'),
        Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x0a, 0x80, 0x81]),
      );
      writeFileSync(join(dir, 'rollout-2026-03-01T09-00-00-019c0000-0000-7000-8000-0000000000ee.jsonl'), '');
      const c = await core(home, data);
      const s = await c.start();
      expect(s.problems).toHaveLength(2);
      expect((await allThreads(c)).map((t) => t.title)).toEqual(['good one']);
    });

    it('follows a file moved to archived_sessions and drops a thread whose file is deleted', async () => {
      const { home, data } = dirs();
      const path = rolloutPath(home);
      mkdirSync(join(home, 'sessions', '2026', '03', '01'), { recursive: true });
      writeFileSync(path, meta() + user('to archive'));
      const c = await core(home, data);
      await c.start();
      mkdirSync(join(home, 'archived_sessions'));
      const archivedPath = join(home, 'archived_sessions', path.split('/').pop() ?? '');
      renameSync(path, archivedPath);
      await c.handlers['ingest:rescan']({}, ctx);
      expect(await c.handlers['threads:get']({ id: ID }, ctx)).toMatchObject({
        archived: true,
        rolloutPath: archivedPath,
      });
      rmSync(archivedPath);
      await c.handlers['ingest:rescan']({}, ctx);
      await expect(Promise.resolve().then(() => c.handlers['threads:get']({ id: ID }, ctx))).rejects.toThrow(
        /No thread/,
      );
    });

    it('shows a new rollout within 2 s through the watcher', async () => {
      const { home, data } = dirs();
      mkdirSync(join(home, 'sessions'), { recursive: true });
      const c = await core(home, data, true);
      await c.start();
      const seen = new Promise<number>((resolve) => {
        const t0 = performance.now();
        c.bus.subscribe((name, payload) => {
          if (name === 'threads:changed' && (payload as { ids: string[] }).ids.includes(ID))
            resolve(performance.now() - t0);
        });
      });
      mkdirSync(join(home, 'sessions', '2026', '03', '01'), { recursive: true });
      writeFileSync(rolloutPath(home), meta() + user('live one'));
      const elapsed = await seen;
      expect(elapsed).toBeLessThan(2000);
      expect((await allThreads(c)).map((t) => t.title)).toEqual(['live one']);
    });

    it('resumes an interrupted backfill after its watermark', async () => {
      const { home, data } = dirs();
      const dir = join(home, 'sessions', '2026', '03', '01');
      mkdirSync(dir, { recursive: true });
      const ids = ['019c0000-0000-7000-8000-00000000000a', '019c0000-0000-7000-8000-00000000000b'];
      for (const id of ids) writeFileSync(rolloutPath(home, id), meta(id) + user(`t ${id}`));
      const first = await core(home, data);
      await first.close();
      // Simulate a crash after the first file: a stale running lease with the first file's watermark.
      const { openStateDb } = await import('../state/state-db.ts');
      const db = openStateDb(data);
      db.prepare("UPDATE backfill_state SET status = 'running', last_watermark = ?, updated_at = 0").run(
        `sessions/2026/03/01/rollout-2026-03-01T10-00-00-${ids[0]}.jsonl`,
      );
      db.close();
      const second = await core(home, data);
      const s = await second.start();
      expect(s.filesIngested).toBe(1);
      expect((await allThreads(second)).map((t) => t.id)).toEqual([ids[1]]);
      expect((await second.handlers['ingest:status']({}, ctx)).backfill.status).toBe('complete');
    });
  });
});
