import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppCore } from '../app/app-core.ts';
import type { WorkerScripts } from '../app/worker-url.ts';
import { noYield } from '../core/time-slice.ts';
import { buildFixtureHome, haveRealFixtures, NO_FIXTURES_MESSAGE } from '../test-support/fixture-home.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { inlineExtractPool, workerExtractPool } from './extract-pool.ts';

// The worker runs from source through Node's type stripping, exactly the code the bundle ships.
const workerSource = new URL('../rollouts/extract-worker.ts', import.meta.url);
const ingestWorkerSource = new URL('./ingest-worker.ts', import.meta.url);
const temps: (() => void)[] = [];
afterAll(() => temps.forEach((c) => c()));
const temp = (): string => {
  const t = makeTempDir();
  temps.push(t.cleanup);
  return t.dir;
};

describe('extract worker pool', () => {
  it('starts threads on first use, stops them when idle, and starts them again on demand', async () => {
    const pool = workerExtractPool(workerSource, 2, 50);
    const missing = (): Promise<unknown> =>
      pool.extract('/no/such/rollout.jsonl', { archived: false, defaultProvider: 'openai' }).catch((e) => e);
    try {
      expect(pool.liveThreads()).toBe(0);
      await missing();
      expect(pool.liveThreads()).toBe(2);
      await expect.poll(() => pool.liveThreads(), { timeout: 5_000 }).toBe(0);
      expect(await missing()).toMatchObject({ code: 'ENOENT' });
      expect(pool.liveThreads()).toBe(2);
      pool.trim();
      expect(pool.liveThreads()).toBe(0);
    } finally {
      await pool.close();
    }
    expect(pool.liveThreads()).toBe(0);
  });

  it('reports a missing file as an error with its code, and keeps working after it', async () => {
    const pool = workerExtractPool(workerSource, 2);
    try {
      await expect(
        pool.extract('/no/such/rollout.jsonl', { archived: false, defaultProvider: 'openai' }),
      ).rejects.toMatchObject({
        code: 'ENOENT',
      });
      const again = await pool
        .extract('/no/such/other.jsonl', { archived: false, defaultProvider: 'openai' })
        .catch((e: Error) => e);
      expect(again).toBeInstanceOf(Error);
    } finally {
      await pool.close();
    }
  });

  it.skipIf(!haveRealFixtures)(
    `gives the same results as inline extraction (${haveRealFixtures ? 'real fixtures' : NO_FIXTURES_MESSAGE})`,
    async () => {
      const home = temp();
      const files = buildFixtureHome(home);
      const pool = workerExtractPool(workerSource, 2);
      const inline = inlineExtractPool(noYield);
      try {
        const opts = { archived: false, defaultProvider: 'openai' };
        const viaWorkers = await Promise.all(files.map((f) => pool.extract(f.path, opts)));
        const viaInline = await Promise.all(files.map((f) => inline.extract(f.path, opts)));
        expect(viaWorkers).toEqual(viaInline);
      } finally {
        await pool.close();
      }
    },
  );

  it.skipIf(!haveRealFixtures)(
    'backfills through the ingest and extract workers into the same rows as inline',
    async () => {
      const home = temp();
      buildFixtureHome(home);
      const list = async (workers: WorkerScripts) => {
        const core = await createAppCore({
          codexHome: home,
          dataDir: join(temp(), 'd'),
          shell: 'test',
          watch: false,
          workers,
        });
        try {
          const summary = await core.start();
          const page = await core.handlers['threads:list'](
            { limit: 100, sortKey: 'created_at', archived: false, includeWithoutUserMessage: true },
            { transport: 'test' },
          );
          return { threads: page.items, problems: summary.problems.map((p) => p.path) };
        } finally {
          await core.close();
        }
      };
      const inline = await list({ ingest: null, extract: null });
      expect(inline.threads.length).toBeGreaterThan(10);
      expect(await list({ ingest: null, extract: workerSource })).toEqual(inline);
      expect(await list({ ingest: ingestWorkerSource, extract: workerSource })).toEqual(inline);
      expect(await list({ ingest: ingestWorkerSource, extract: null })).toEqual(inline);
    },
  );
});
