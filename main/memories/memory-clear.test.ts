import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../core/app-error.ts';
import type { Db } from '../state/connection.ts';
import { openStateDb } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import { clearMemoryData, clearMemoryRoot, resetMemoryDataForFreshStart } from './memory-clear.ts';
import { GLOBAL_JOB_KEY, GLOBAL_JOB_KIND, STAGE1_JOB_KIND } from './memory-constants.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function tempDir(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('clearMemoryData / resetMemoryDataForFreshStart (seed §5.15)', () => {
  let db: Db;
  const modes = ['enabled', 'enabled', 'disabled', 'polluted'] as const;
  const ids = modes.map((_, i) => `0194f5a6-89ab-7cde-8123-0000000000a${i}`);

  beforeEach(() => {
    db = openStateDb(tempDir());
    cleanups.push(() => db.close());
    const threads = createThreadRepo(db);
    const output = db.prepare(
      `INSERT INTO stage1_outputs (thread_id, source_updated_at, raw_memory, rollout_summary, generated_at)
       VALUES (?, 100, 'raw', 'summary', 101)`,
    );
    const job = db.prepare('INSERT INTO jobs (kind, job_key, status, retry_remaining) VALUES (?, ?, ?, 3)');
    modes.forEach((memoryMode, i) => {
      const id = ids[i] ?? '';
      threads.upsert({ meta: makeMeta({ id }), memoryMode, dynamicTools: [] });
      output.run(id);
      job.run(STAGE1_JOB_KIND, id, 'done');
    });
    job.run(GLOBAL_JOB_KIND, GLOBAL_JOB_KEY, 'pending');
    job.run('other_kind', 'x', 'pending');
  });

  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const memoryModes = (): string[] =>
    (db.prepare('SELECT memory_mode FROM threads ORDER BY id').all() as { memory_mode: string }[]).map(
      (r) => r.memory_mode,
    );

  it('clear deletes every stage-1 output and both memory job kinds, nothing else', () => {
    expect(clearMemoryData(db)).toEqual({ stage1OutputsDeleted: 4, jobsDeleted: 5 });
    expect(count('SELECT COUNT(*) AS n FROM stage1_outputs')).toBe(0);
    expect(db.prepare('SELECT kind FROM jobs').all()).toEqual([{ kind: 'other_kind' }]);
    expect(count('SELECT COUNT(*) AS n FROM threads')).toBe(4);
    expect(memoryModes()).toEqual([...modes]);
  });

  it('reset also flips enabled threads to disabled and leaves disabled/polluted alone', () => {
    expect(resetMemoryDataForFreshStart(db)).toEqual({
      stage1OutputsDeleted: 4,
      jobsDeleted: 5,
      threadsDisabled: 2,
    });
    expect(count('SELECT COUNT(*) AS n FROM stage1_outputs')).toBe(0);
    expect(memoryModes()).toEqual(['disabled', 'disabled', 'disabled', 'polluted']);
  });

  it('clearing an already empty DB is a no-op', () => {
    clearMemoryData(db);
    expect(clearMemoryData(db)).toEqual({ stage1OutputsDeleted: 0, jobsDeleted: 0 });
  });
});

describe('clearMemoryRoot (seed §5.15 /debug-m-drop)', () => {
  it('removes every child file and folder and keeps the root', async () => {
    const root = join(tempDir(), 'memories');
    mkdirSync(join(root, 'rollout_summaries'), { recursive: true });
    mkdirSync(join(root, 'skills', 'deploy'), { recursive: true });
    writeFileSync(join(root, 'rollout_summaries', 'a.md'), 'a');
    writeFileSync(join(root, 'skills', 'deploy', 'SKILL.md'), 'steps');
    writeFileSync(join(root, 'MEMORY.md'), '# handbook');
    writeFileSync(join(root, '.hidden'), 'x');

    await expect(clearMemoryRoot(root)).resolves.toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });

  it('unlinks a child symlink without touching what it points to', async () => {
    const base = tempDir();
    const root = join(base, 'memories');
    const outside = join(base, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep.txt'), 'keep me');
    symlinkSync(outside, join(root, 'linked-dir'));
    symlinkSync(join(outside, 'keep.txt'), join(root, 'linked-file'));

    await expect(clearMemoryRoot(root)).resolves.toEqual([]);
    expect(readdirSync(root)).toEqual([]);
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('keep me');
  });

  it('creates a missing root', async () => {
    const root = join(tempDir(), 'codex-home', 'memories');
    await expect(clearMemoryRoot(root)).resolves.toEqual([]);
    expect(existsSync(root)).toBe(true);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a symlinked root with a clear error and deletes nothing', async () => {
    const base = tempDir();
    const target = join(base, 'real-memories');
    const root = join(base, 'memories');
    mkdirSync(target);
    writeFileSync(join(target, 'MEMORY.md'), '# handbook');
    symlinkSync(target, root);

    const error = await clearMemoryRoot(root).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', details: [root] });
    expect((error as AppError).message).toMatch(/symbolic link.*Nothing was deleted/);
    expect(readdirSync(target)).toEqual(['MEMORY.md']);
  });

  it('refuses a root that is a file', async () => {
    const root = join(tempDir(), 'memories');
    writeFileSync(root, 'not a folder');
    await expect(clearMemoryRoot(root)).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(readFileSync(root, 'utf8')).toBe('not a folder');
  });
});
