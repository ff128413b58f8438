import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logs/app-logger.ts';
import { SettingsStore } from '../settings/settings-store.ts';
import { openStateDb } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { startFakeModelServer, type ModelRequest } from '../test-support/fake-model-server.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { createMemoriesService } from './memories-service.ts';

const { cleanups, dirs } = perTestDirs();
const NOW = 1_800_000_000;
const T1 = '0194f5a6-89ab-7cde-8123-456789abcde1';

const model = (r: ModelRequest): unknown =>
  (r.body?.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name ===
  'memory_consolidation'
    ? { memory_md: `# Task Group: parser\n- thread_id=${T1}\n`, memory_summary_md: '## User Profile\n' }
    : { rollout_summary: 'Fixed the parser', rollout_slug: 'parser', raw_memory: '### Task 1: parser' };

async function setup() {
  const server = await startFakeModelServer({ output: model });
  cleanups.push(() => server.close());
  const { home, data } = dirs();
  const db = openStateDb(data);
  const rolloutPath = join(home, 'r.jsonl');
  writeFileSync(
    rolloutPath,
    `${JSON.stringify({ type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix the parser' }] } })}\n`,
  );
  createThreadRepo(db).upsert({
    meta: makeMeta({
      id: T1,
      rolloutPath,
      updatedAt: NOW - 7 * 3600,
      source: 'cli',
      firstUserMessage: 'fix the parser',
    }),
    memoryMode: 'enabled',
    dynamicTools: [],
  });
  const events: string[] = [];
  const settings = new SettingsStore(data);
  const memories = createMemoriesService({
    db,
    dataDir: data,
    settings,
    log: silentLogger,
    workerId: 'threadscope:test',
    onChanged: (r) => events.push(r),
    nowSeconds: () => NOW,
    env: {},
  });
  cleanups.push(async () => {
    await memories.close();
    db.close();
  });
  return { memories, server, data, events, db };
}

describe('memories service', () => {
  it('is off until enabled, then runs the pipeline and shows outputs, jobs and files', async () => {
    const { memories, server, data, events } = await setup();
    expect(memories.status()).toMatchObject({ running: false, lastRun: null, settings: { enabled: false } });
    expect(memories.run()).toEqual({
      started: false,
      reason: expect.stringMatching(/off: enable it/) as string,
    });

    memories.updateSettings({
      enabled: true,
      provider: { kind: 'openai-compatible', baseUrl: server.baseUrl, apiKeyEnv: null },
    });
    expect(memories.run()).toEqual({ started: true, reason: null });
    expect(memories.run().started).toBe(false); // one run at a time
    const run = await memories.idle();
    expect(run).toMatchObject({
      phase1: { claimed: 1, succeeded: 1 },
      phase2: { status: 'succeeded', selected: 1 },
      error: null,
    });
    expect(events).toEqual(expect.arrayContaining(['settings', 'prune', 'phase1', 'phase2', 'idle']));

    const status = memories.status();
    expect(status).toMatchObject({ running: false, memoryRoot: join(data, 'memories'), rootExists: true });
    expect(status.counts).toMatchObject({
      outputs: 1,
      selected: 1,
      jobsRunning: 0,
      jobsFailed: 0,
      threadsEnabled: 1,
    });
    expect(memories.outputs(10)).toEqual([
      expect.objectContaining({ threadId: T1, rolloutSlug: 'parser', selectedForPhase2: true }),
    ]);
    expect(memories.output(T1)).toMatchObject({
      mode: 'enabled',
      output: { rolloutSummary: 'Fixed the parser' },
    });
    expect(memories.jobs().map((j) => [j.kind, j.status])).toEqual([
      ['memory_stage1', 'done'],
      ['memory_consolidate_global', 'done'],
    ]);
    const files = memories.files().map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['MEMORY.md', 'memory_summary.md', 'raw_memories.md', 'rollout_summaries']),
    );
    expect(memories.readFile('MEMORY.md').text).toContain(`thread_id=${T1}`);
  });

  it('refuses paths outside the root, including through a symlink', async () => {
    const { memories, data } = await setup();
    const root = join(data, 'memories');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(data, 'secret.txt'), 'x');
    symlinkSync(join(data, 'secret.txt'), join(root, 'link.md'));
    expect(() => memories.readFile('link.md')).toThrow(/outside the memory root/);
    expect(() => memories.readFile('missing.md')).toThrow(/No file/);
    expect(memories.files().map((f) => f.path)).toEqual([]); // symlinks are not listed
  });

  it('drops, resets (turning the pipeline off), and sets a thread mode', async () => {
    const { memories, server, db, data } = await setup();
    memories.updateSettings({
      enabled: true,
      provider: { kind: 'openai-compatible', baseUrl: server.baseUrl, apiKeyEnv: null },
    });
    memories.run();
    await memories.idle();
    writeFileSync(join(data, 'memories', 'my-notes.txt'), 'not ours');
    await expect(memories.drop()).rejects.toThrow(/holds files the pipeline did not write \(my-notes\.txt\)/);
    rmSync(join(data, 'memories', 'my-notes.txt'));
    const dropped = await memories.drop();
    expect(dropped.rows).toBe(3); // one output, two jobs
    expect(memories.files()).toEqual([]);
    expect(memories.setThreadMode(T1, 'disabled')).toEqual({ threadId: T1, mode: 'disabled' });
    memories.setThreadMode(T1, 'enabled');
    const reset = await memories.reset();
    expect(reset.threadsDisabled).toBe(1);
    expect(db.prepare('SELECT memory_mode FROM threads WHERE id = ?').pluck().get(T1)).toBe('disabled');
    expect(memories.status().settings.enabled).toBe(false);
    expect(() => memories.setThreadMode('00000000-0000-7000-8000-000000000000', 'enabled')).toThrow(
      /No thread/,
    );
    expect(() =>
      memories.updateSettings({ provider: { kind: 'openai', apiKeyEnv: 'K', baseUrl: 'nope' } }),
    ).toThrow(/INVALID|url|URL/);
  });

  it('cancels a running pipeline; the job is failed for a later retry', async () => {
    const slow = await startFakeModelServer({ output: model, delayMs: 30_000 });
    cleanups.push(() => slow.close());
    const { memories } = await setup();
    memories.updateSettings({
      enabled: true,
      provider: { kind: 'openai-compatible', baseUrl: slow.baseUrl, apiKeyEnv: null },
    });
    memories.run();
    while (slow.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(memories.cancel()).toEqual({ cancelled: true });
    const run = await memories.idle();
    expect(run?.error).toBe('cancelled');
    expect(memories.jobs()[0]).toMatchObject({ kind: 'memory_stage1', status: 'error', retryRemaining: 2 });
    await expect(memories.drop()).resolves.toMatchObject({ rows: 1 });
  });
});
