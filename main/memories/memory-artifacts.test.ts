import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/temp-dir.ts';
import {
  buildArtifactSet,
  rebuildRawMemories,
  renderRawMemories,
  renderRolloutSummary,
  syncRolloutSummaries,
  type MemoryArtifact,
} from './memory-artifacts.ts';

/** 2026-03-01T10:00:00Z */
const T = 1_772_359_200;

const A: MemoryArtifact = {
  threadId: '0194f5a6-89ab-7cde-8123-456789abcdef',
  sourceUpdatedAt: T,
  rawMemory: '  \n- login test flaked on slow CI\n- fix: await the redirect\n\n',
  rolloutSummary: 'Fixed the flaky login test.\n\nKey file: e2e/login.spec.ts',
  rolloutSlug: 'Fix Login',
  rolloutPath:
    '/codex/sessions/2026/03/01/rollout-2026-03-01T10-00-00-0194f5a6-89ab-7cde-8123-456789abcdef.jsonl',
  cwd: '/home/alice/app',
  gitBranch: 'main',
};
const B: MemoryArtifact = {
  threadId: '9f1c2d3e-4b5a-46c7-a8b9-c0d1e2f3a4b5',
  sourceUpdatedAt: T + 3600,
  rawMemory: 'prefers pnpm',
  rolloutSummary: '  summary kept verbatim  ',
  rolloutSlug: null,
  rolloutPath: '',
  cwd: '',
  gitBranch: null,
};
const A_STEM = '2025-02-11T15-35-19-jqmb-fix_login';
const B_STEM = '2026-03-01T11-00-00-Gnrf';

const A_SUMMARY = [
  'thread_id: 0194f5a6-89ab-7cde-8123-456789abcdef',
  'updated_at: 2026-03-01T10:00:00+00:00',
  `rollout_path: ${A.rolloutPath}`,
  'cwd: /home/alice/app',
  'git_branch: main',
  '',
  'Fixed the flaky login test.',
  '',
  'Key file: e2e/login.spec.ts',
  '',
].join('\n');
const B_SUMMARY = [
  'thread_id: 9f1c2d3e-4b5a-46c7-a8b9-c0d1e2f3a4b5',
  'updated_at: 2026-03-01T11:00:00+00:00',
  'rollout_path: ',
  'cwd: ',
  '',
  '  summary kept verbatim  ',
  '',
].join('\n');
const RAW_MEMORIES = [
  '# Raw Memories',
  '',
  'Merged stage-1 raw memories (latest first):',
  '',
  '## Thread `0194f5a6-89ab-7cde-8123-456789abcdef`',
  'updated_at: 2026-03-01T10:00:00+00:00',
  'cwd: /home/alice/app',
  `rollout_path: ${A.rolloutPath}`,
  `rollout_summary_file: ${A_STEM}.md`,
  '',
  '- login test flaked on slow CI',
  '- fix: await the redirect',
  '',
  '## Thread `9f1c2d3e-4b5a-46c7-a8b9-c0d1e2f3a4b5`',
  'updated_at: 2026-03-01T11:00:00+00:00',
  'cwd: ',
  'rollout_path: ',
  `rollout_summary_file: ${B_STEM}.md`,
  '',
  'prefers pnpm',
  '',
  '',
].join('\n');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function memoryRoot(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'memories');
}
const summaries = (root: string): string[] => readdirSync(join(root, 'rollout_summaries')).sort();
const read = (...parts: string[]): string => readFileSync(join(...parts), 'utf8');

describe('artifact rendering (seed §5.13)', () => {
  it('renders both rollout summaries byte for byte; git_branch only when the thread has one', () => {
    expect(renderRolloutSummary(A)).toBe(A_SUMMARY);
    expect(renderRolloutSummary(B)).toBe(B_SUMMARY);
  });

  it('renders raw_memories.md byte for byte: artifact order, raw memory trimmed, blank line after each', () => {
    expect(renderRawMemories([A, B])).toBe(RAW_MEMORIES);
  });

  it('renders the empty raw_memories.md exactly', () => {
    expect(renderRawMemories([])).toBe('# Raw Memories\n\nNo raw memories yet.\n');
  });

  it('prints a UUID id in Codex form and a non-UUID id as stored', () => {
    expect(renderRolloutSummary({ ...B, threadId: '9F1C2D3E4B5A46C7A8B9C0D1E2F3A4B5' })).toBe(B_SUMMARY);
    expect(renderRolloutSummary({ ...B, threadId: 'thread-a' })).toMatch(/^thread_id: thread-a\n/);
  });
});

describe('artifact set (seed §5.12 step 5, §10 vector 8)', () => {
  const t1 = { ...A, sourceUpdatedAt: 200 };
  const t3 = { ...B, threadId: '0194f5a6-0000-7000-8000-000000000003', rolloutSlug: 'T3' };
  const t2 = { ...B, threadId: '0194f5a6-0000-7000-8000-000000000002', rolloutSlug: 'T2' };

  it('keeps the selected rank order, then previous-only rows whose stem is not already present', () => {
    expect(buildArtifactSet([t1, t3], [t1, t2, t2])).toEqual([t1, t3, t2]);
  });

  it('is just the previous selection when nothing is selected, and empty when both are', () => {
    expect(buildArtifactSet([], [t2, t1])).toEqual([t2, t1]);
    expect(buildArtifactSet([], [])).toEqual([]);
  });
});

describe('syncRolloutSummaries / rebuildRawMemories (seed §5.12 step 5)', () => {
  it('creates the layout and writes one summary per artifact and raw_memories.md', async () => {
    const root = memoryRoot();
    const result = await syncRolloutSummaries(root, [A, B]);
    await rebuildRawMemories(root, [A, B]);
    expect(result).toEqual({ written: [A_STEM, B_STEM], deleted: [], failures: [] });
    expect(summaries(root)).toEqual([`${A_STEM}.md`, `${B_STEM}.md`]);
    expect(read(root, 'rollout_summaries', `${A_STEM}.md`)).toBe(A_SUMMARY);
    expect(read(root, 'rollout_summaries', `${B_STEM}.md`)).toBe(B_SUMMARY);
    expect(read(root, 'raw_memories.md')).toBe(RAW_MEMORIES);
  });

  it('deletes stale *.md summaries only, overwrites kept ones, and leaves the agent files alone', async () => {
    const root = memoryRoot();
    const dir = join(root, 'rollout_summaries');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'old-thread.md'), 'stale');
    writeFileSync(join(dir, `${A_STEM}.md`), 'outdated content');
    writeFileSync(join(dir, 'notes.txt'), 'not a summary');
    writeFileSync(join(dir, '.md.bak'), 'not a summary either');
    writeFileSync(join(root, 'MEMORY.md'), '# handbook');

    const result = await syncRolloutSummaries(root, [A]);

    expect(result).toEqual({ written: [A_STEM], deleted: ['old-thread.md'], failures: [] });
    expect(summaries(root)).toEqual(['.md.bak', `${A_STEM}.md`, 'notes.txt']);
    expect(read(dir, `${A_STEM}.md`)).toBe(A_SUMMARY);
    expect(read(root, 'MEMORY.md')).toBe('# handbook');
  });

  it('collects a stale summary it cannot delete and still writes the set', async () => {
    const root = memoryRoot();
    const dir = join(root, 'rollout_summaries');
    mkdirSync(join(dir, 'undeletable.md'), { recursive: true });

    const result = await syncRolloutSummaries(root, [B]);

    expect(result.written).toEqual([B_STEM]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.path).toBe(join(dir, 'undeletable.md'));
    expect(read(dir, `${B_STEM}.md`)).toBe(B_SUMMARY);
  });

  it('with an empty set removes every summary, MEMORY.md, memory_summary.md and skills/', async () => {
    const root = memoryRoot();
    await syncRolloutSummaries(root, [A, B]);
    writeFileSync(join(root, 'MEMORY.md'), '# handbook');
    writeFileSync(join(root, 'memory_summary.md'), 'summary');
    mkdirSync(join(root, 'skills', 'deploy'), { recursive: true });
    writeFileSync(join(root, 'skills', 'deploy', 'SKILL.md'), 'steps');
    writeFileSync(join(root, 'notes.txt'), 'user file');

    const result = await syncRolloutSummaries(root, []);
    await rebuildRawMemories(root, []);

    expect([...result.deleted].sort()).toEqual([`${A_STEM}.md`, `${B_STEM}.md`]);
    expect(result.failures).toEqual([]);
    expect(summaries(root)).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(['notes.txt', 'raw_memories.md', 'rollout_summaries']);
    expect(read(root, 'raw_memories.md')).toBe('# Raw Memories\n\nNo raw memories yet.\n');
  });

  it('with an empty set and none of the agent files present succeeds', async () => {
    const root = memoryRoot();
    await expect(syncRolloutSummaries(root, [])).resolves.toEqual({ written: [], deleted: [], failures: [] });
    expect(existsSync(join(root, 'rollout_summaries'))).toBe(true);
  });

  it('fails (the job then fails) when MEMORY.md cannot be deleted for an empty set', async () => {
    const root = memoryRoot();
    mkdirSync(join(root, 'MEMORY.md'), { recursive: true });
    await expect(syncRolloutSummaries(root, [])).rejects.toThrow();
  });

  it('leaves no temporary files behind', async () => {
    const root = memoryRoot();
    await syncRolloutSummaries(root, [A, B]);
    await syncRolloutSummaries(root, [B]);
    await rebuildRawMemories(root, [B]);
    expect(summaries(root)).toEqual([`${B_STEM}.md`]);
    expect(readdirSync(root).sort()).toEqual(['raw_memories.md', 'rollout_summaries']);
  });
});
