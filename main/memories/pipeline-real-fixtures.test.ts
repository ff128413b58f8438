import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../app/app-core.ts';
import { buildFixtureHome, haveRealFixtures, NO_FIXTURES_MESSAGE } from '../test-support/fixture-home.ts';
import {
  startFakeModelServer,
  type FakeModelServerOptions,
  type ModelRequest,
} from '../test-support/fake-model-server.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { openStateDb } from '../state/state-db.ts';
import { claimStage1JobsForStartup } from './stage1-jobs.ts';
import { PHASE1_ALLOWED_SOURCES } from './memory-constants.ts';

const { cleanups, dirs } = perTestDirs();

const isConsolidation = (r: ModelRequest): boolean =>
  (r.body?.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name ===
  'memory_consolidation';

/** Remembers every thread it is shown (by the rollout path in the prompt), and writes the two files. */
const model = (r: ModelRequest): unknown => {
  if (isConsolidation(r))
    return { memory_md: '# Task Group: fixtures\n', memory_summary_md: '## User Profile\n' };
  const text = String((r.body?.messages as { content: string }[] | undefined)?.[1]?.content ?? '');
  const path = /rollout_path: (.*)/.exec(text)?.[1] ?? 'unknown';
  return {
    rollout_summary: `Summary of ${path}`,
    rollout_slug: 'fixture',
    raw_memory: `### Task 1: ${path}`,
  };
};

async function core(
  data: string,
  home: string,
  now: () => number,
  server: { baseUrl: string },
): Promise<AppCore> {
  const c = await createAppCore({
    codexHome: home,
    dataDir: data,
    shell: 'test',
    watch: false,
    memories: { nowSeconds: now, env: {} },
  });
  await c.start();
  const r = await c.router.dispatch(
    'memories:updateSettings',
    {
      enabled: true,
      max_rollout_age_days: 90,
      // Phase 2 only selects outputs used or updated within max_unused_days (seed §5.11): cover the window.
      max_unused_days: 90,
      min_rollout_idle_hours: 6,
      provider: { kind: 'openai-compatible', baseUrl: server.baseUrl, apiKeyEnv: null },
    },
    { transport: 'test' },
  );
  if (!r.ok) throw new Error(r.error.message);
  return c;
}

async function server(o: FakeModelServerOptions) {
  const s = await startFakeModelServer(o);
  cleanups.push(() => s.close());
  return s;
}

describe.skipIf(!haveRealFixtures)(
  `memories over the real fixture corpus (${haveRealFixtures ? 'present' : NO_FIXTURES_MESSAGE})`,
  () => {
    it('produces the seed artifacts, survives a provider failure and a restart mid-run, without duplicates or losses', async () => {
      const { home, data } = dirs();
      buildFixtureHome(home);
      // The corpus spans Sept 2025 to mid 2026 (plus a legacy file dated by its mtime): put the clock a day after the
      // newest thread of March 2026, so the 90-day window holds several CLI/IDE threads and later ones are "future".
      const probe = await createAppCore({ codexHome: home, dataDir: data, shell: 'test', watch: false });
      await probe.start();
      await probe.close();
      const state = openStateDb(data); // a second connection, as another process would have
      cleanups.push(() => {
        state.close();
      });
      const newest = state
        .prepare("SELECT max(updated_at) FROM threads WHERE updated_at < strftime('%s', '2026-04-01')")
        .pluck()
        .get() as number;
      let now = newest + 86_400;
      const clock = () => now;

      // Which threads are candidates, by the seed's rules (cli/vscode, enabled, with a first message, in the window).
      const down = await server({ status: 503 });
      const a = await core(data, home, clock, down);
      cleanups.push(() => a.close());
      const candidates = (
        state
          .prepare(
            `SELECT id FROM threads WHERE archived = 0 AND first_user_message <> '' AND memory_mode = 'enabled'
           AND source IN (${PHASE1_ALLOWED_SOURCES.map((s) => `'${s}'`).join(',')})
           AND updated_at >= ? AND updated_at <= ?`,
          )
          .pluck()
          .all(now - 90 * 86_400, now - 6 * 3_600) as string[]
      ).sort();
      expect(candidates.length).toBeGreaterThan(1);

      // 1. The provider is down: every claimed job fails and is kept for a retry an hour later.
      a.memories.run();
      const failedRun = await a.memories.idle();
      expect(failedRun?.phase1).toMatchObject({ claimed: candidates.length, failed: candidates.length });
      expect(
        a.memories
          .jobs()
          .filter((j) => j.kind === 'memory_stage1')
          .every((j) => j.status === 'error' && j.retryRemaining === 2),
      ).toBe(true);
      await a.close();

      // 2. A process dies mid-run: it claimed the jobs (an hour later, after the backoff) and never finished them.
      now += 3_600;
      const claims = claimStage1JobsForStartup(
        state,
        {
          currentThreadId: 'dead-process',
          scanLimit: 5000,
          maxClaimed: 16,
          maxAgeDays: 90,
          minRolloutIdleHours: 6,
          allowedSources: PHASE1_ALLOWED_SOURCES,
          leaseSeconds: 3_600,
        },
        now,
      );
      expect(claims.map((c) => c.threadId).sort()).toEqual(candidates);

      // 3. Restarted with a working provider before the lease expires: nothing is taken twice...
      const up = await server({ output: model });
      const b = await core(data, home, clock, up);
      cleanups.push(() => b.close());
      b.memories.run();
      expect((await b.memories.idle())?.phase1?.claimed).toBe(0);
      // ...and once the dead process's leases expire, its jobs are taken over and finished.
      now += 3_600;
      b.memories.run();
      const run = await b.memories.idle();
      expect(run).toMatchObject({
        phase1: { claimed: candidates.length, succeeded: candidates.length, failed: 0 },
        phase2: { status: 'succeeded' },
      });
      expect(up.requests.filter((r) => !isConsolidation(r))).toHaveLength(candidates.length); // each thread once
      const outputs = b.memories.outputs(100);
      expect(outputs.map((o) => o.threadId).sort()).toEqual(candidates);

      // The seed's artifacts: one summary per output with its stem, raw_memories.md, and the agent's files.
      const root = join(data, 'memories');
      expect(readdirSync(join(root, 'rollout_summaries')).sort()).toEqual(
        outputs.map((o) => o.summaryFile).sort(),
      );
      const raw = readFileSync(join(root, 'raw_memories.md'), 'utf8');
      for (const id of candidates) expect(raw).toContain(`## Thread \`${id}\``);
      expect(existsSync(join(root, 'MEMORY.md')) && existsSync(join(root, 'memory_summary.md'))).toBe(true);
      const first = readFileSync(join(root, 'rollout_summaries', outputs[0]?.summaryFile ?? ''), 'utf8');
      expect(first).toMatch(
        /^thread_id: [0-9a-f-]{36}\nupdated_at: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00\nrollout_path: .*\ncwd: .*\n/,
      );

      // Nothing changed since: a new run neither extracts nor consolidates again.
      b.memories.run();
      expect(await b.memories.idle()).toMatchObject({
        phase1: { claimed: 0 },
        phase2: { status: 'skipped_not_dirty' },
      });
    });
  },
);
