import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logs/app-logger.ts';
import { openStateDb } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { startFakeModelServer, type ModelRequest } from '../test-support/fake-model-server.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { readGlobalJob } from './global-job.ts';
import { memoryFileStem } from './memory-stem.ts';
import { runPhase1 } from './phase1-run.ts';
import { runPhase2 } from './phase2-run.ts';
import { createProvider } from './providers/create-provider.ts';

const { cleanups, dirs } = perTestDirs();
const NOW = 1_800_000_000;
const HOUR = 3600;
const T1 = '0194f5a6-89ab-7cde-8123-456789abcde1';
const T2 = '0194f5a6-89ab-7cde-8123-456789abcde2';
const T3 = '0194f5a6-89ab-7cde-8123-456789abcde3';

const schemaName = (r: ModelRequest): string =>
  String(((r.body?.response_format as { json_schema?: { name?: string } }) ?? {}).json_schema?.name ?? '');
const userText = (r: ModelRequest): string =>
  String(
    ((r.body?.messages as { role: string; content: string }[]) ?? []).find((m) => m.role === 'user')
      ?.content ?? '',
  );

/** A model that remembers T1 and T2, finds nothing durable in T3, and writes the two memory files. */
function model(r: ModelRequest): unknown {
  if (schemaName(r) === 'memory_consolidation')
    return {
      memory_md: '# Task Group: fixes\n',
      memory_summary_md: '## User Profile\nprefers small diffs\n',
    };
  const text = userText(r);
  if (text.includes('nothing to learn')) return { rollout_summary: '', rollout_slug: '', raw_memory: '' };
  if (text.includes('broken model')) return 'not json at all';
  const which = text.includes('fix the parser') ? 'parser' : 'tests';
  return {
    rollout_summary: `Fixed the ${which}. Key sk-${'z'.repeat(30)}`,
    rollout_slug: `Fix ${which}`,
    raw_memory: `---\ndescription: ${which}\n---\n### Task 1: ${which}\n- done`,
  };
}

function setup() {
  const { home, data } = dirs();
  const db = openStateDb(data);
  cleanups.push(() => {
    db.close();
  });
  const repo = createThreadRepo(db);
  const thread = (id: string, text: string, updatedAt: number): void => {
    const rolloutPath = join(home, `${id}.jsonl`);
    writeFileSync(
      rolloutPath,
      `${JSON.stringify({ timestamp: 't', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } })}\n`,
    );
    repo.upsert({
      meta: makeMeta({
        id,
        rolloutPath,
        updatedAt,
        source: 'cli',
        firstUserMessage: text,
        cwd: '/work/app',
        gitBranch: 'main',
      }),
      memoryMode: 'enabled',
      dynamicTools: [],
    });
  };
  thread(T1, 'fix the parser', NOW - 10 * HOUR);
  thread(T2, 'fix the tests', NOW - 9 * HOUR);
  thread(T3, 'nothing to learn', NOW - 8 * HOUR);
  return { db, home, root: join(data, 'memories'), thread };
}

const settings = {
  max_rollouts_per_startup: 16,
  max_rollout_age_days: 30,
  min_rollout_idle_hours: 6,
  extract_model: null,
  max_raw_memories_for_consolidation: 256,
  max_unused_days: 30,
  consolidation_model: null,
};

describe('memories pipeline over a real model server', () => {
  it('extracts, consolidates, writes the seed artifacts, and skips when nothing changed', async () => {
    const server = await startFakeModelServer({ output: model });
    cleanups.push(() => server.close());
    const { db, root } = setup();
    const provider = createProvider(
      { kind: 'openai-compatible', baseUrl: server.baseUrl, apiKeyEnv: null },
      {},
    );
    const base = {
      db,
      provider,
      settings,
      workerId: 'threadscope-test',
      nowSeconds: () => NOW,
      log: silentLogger,
    };

    const p1 = await runPhase1(base);
    expect(p1).toMatchObject({ claimed: 3, succeeded: 2, noOutput: 1, failed: 0 });
    const rows = db
      .prepare('SELECT thread_id, rollout_summary, rollout_slug FROM stage1_outputs ORDER BY thread_id')
      .all();
    expect(rows).toEqual([
      {
        thread_id: T1,
        rollout_summary: 'Fixed the parser. Key [REDACTED_SECRET]',
        rollout_slug: 'Fix parser',
      },
      { thread_id: T2, rollout_summary: 'Fixed the tests. Key [REDACTED_SECRET]', rollout_slug: 'Fix tests' },
    ]);
    expect(server.requests.every((r) => r.body?.model === 'gpt-5.1-codex-mini')).toBe(true);

    const p2 = await runPhase2({ ...base, memoryRoot: root });
    expect(p2).toMatchObject({ status: 'succeeded', selected: 2, removed: 0 });
    // Stems from the v7 ids' timestamps (vector-tested in memory-stem.test.ts) and the slugs.
    const stems = readdirSync(join(root, 'rollout_summaries')).sort();
    expect(stems).toEqual(
      [
        `${memoryFileStem(T1, NOW - 10 * HOUR, 'Fix parser')}.md`,
        `${memoryFileStem(T2, NOW - 9 * HOUR, 'Fix tests')}.md`,
      ].sort(),
    );
    expect(stems[0]).toMatch(/^2025-02-11T15-35-19-[0-9A-Za-z]{4}-fix_(parser|tests)\.md$/);
    const raw = readFileSync(join(root, 'raw_memories.md'), 'utf8');
    expect(raw).toMatch(
      /^# Raw Memories\n\nMerged stage-1 raw memories \(latest first\):\n\n## Thread `0194f5a6/,
    );
    expect(readFileSync(join(root, 'MEMORY.md'), 'utf8')).toBe('# Task Group: fixes\n');
    const consolidation = server.requests.find((r) => schemaName(r) === 'memory_consolidation');
    expect(userText(consolidation ?? ({} as ModelRequest))).toContain('- selected inputs this run: 2');
    expect(readGlobalJob(db)?.status).toBe('done');
    expect(
      db.prepare('SELECT count(*) FROM stage1_outputs WHERE selected_for_phase2 = 1').pluck().get(),
    ).toBe(2);

    // Nothing changed: phase 1 finds no stale thread, phase 2 is not dirty.
    expect((await runPhase1(base)).claimed).toBe(0);
    expect((await runPhase2({ ...base, memoryRoot: root })).status).toBe('skipped_not_dirty');
  });

  it('records a provider failure for a retry an hour later, without losing or duplicating work', async () => {
    const server = await startFakeModelServer({ output: model });
    cleanups.push(() => server.close());
    const { db, root, thread } = setup();
    thread(T3, 'broken model', NOW - 8 * HOUR);
    const provider = createProvider(
      { kind: 'openai-compatible', baseUrl: server.baseUrl, apiKeyEnv: null },
      {},
    );
    let now = NOW;
    const base = { db, provider, settings, workerId: 'w', nowSeconds: () => now, log: silentLogger };
    const p1 = await runPhase1(base);
    expect(p1).toMatchObject({ claimed: 3, succeeded: 2, failed: 1 });
    expect(p1.results.find((r) => r.threadId === T3)?.error).toMatch(/not JSON/);
    const job = db.prepare('SELECT status, retry_remaining, retry_at FROM jobs WHERE job_key = ?').get(T3);
    expect(job).toEqual({ status: 'error', retry_remaining: 2, retry_at: NOW + HOUR });
    now = NOW + HOUR - 1;
    expect((await runPhase1(base)).claimed).toBe(0); // backing off
    now = NOW + HOUR;
    expect((await runPhase1(base)).results.map((r) => [r.threadId, r.outcome])).toEqual([[T3, 'failed']]);
    expect((await runPhase2({ ...base, memoryRoot: root })).status).toBe('succeeded');
  });

  it('fails phase 2 when the model fails, keeps the artifacts, and succeeds on the next dirty run', async () => {
    const server = await startFakeModelServer({ status: 500 });
    cleanups.push(() => server.close());
    const { db, root } = setup();
    // Stage-1 outputs from a working model first.
    const good = await startFakeModelServer({ output: model });
    cleanups.push(() => good.close());
    const ok = createProvider({ kind: 'openai-compatible', baseUrl: good.baseUrl, apiKeyEnv: null }, {});
    const bad = createProvider({ kind: 'openai-compatible', baseUrl: server.baseUrl, apiKeyEnv: null }, {});
    let now = NOW;
    const base = { db, settings, workerId: 'w', nowSeconds: () => now, log: silentLogger, memoryRoot: root };
    await runPhase1({ ...base, provider: ok });
    const failed = await runPhase2({ ...base, provider: bad });
    expect(failed).toMatchObject({ status: 'failed_agent', selected: 2 });
    expect(readGlobalJob(db)).toMatchObject({ status: 'error', retryRemaining: 2, retryAt: NOW + HOUR });
    expect(existsSync(join(root, 'raw_memories.md'))).toBe(true);
    now = NOW + HOUR;
    expect((await runPhase2({ ...base, provider: ok })).status).toBe('succeeded');
  });
});
