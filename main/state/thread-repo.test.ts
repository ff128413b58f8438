import { describe, expect, it } from 'vitest';
import { perTestStateDb } from '../test-support/test-dirs.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import type { Db } from './connection.ts';
import { createThreadRepo, type ThreadRepo } from './thread-repo.ts';

let db: Db;
let repo: ThreadRepo;
perTestStateDb((d) => {
  db = d;
  repo = createThreadRepo(db);
});

describe('thread repo upsert (seed §2.3/§2.4)', () => {
  it('inserts, then overwrites every metadata column on conflict', () => {
    const m = makeMeta({ title: 'one', tokensUsed: 5 });
    repo.upsert({ meta: m, memoryMode: null, dynamicTools: null });
    repo.upsert({
      meta: { ...m, title: 'two', tokensUsed: 9, cwd: '/other', model: 'gpt-5.5' },
      memoryMode: null,
      dynamicTools: null,
    });
    expect(repo.get(m.id)).toMatchObject({
      title: 'two',
      tokensUsed: 9,
      cwd: '/other',
      model: 'gpt-5.5',
      memoryMode: 'enabled',
    });
  });

  it('prefers existing non-null git values; rollout values only fill NULL gaps', () => {
    const m = makeMeta({ gitSha: 'aaa', gitBranch: null, gitOriginUrl: null });
    repo.upsert({ meta: m, memoryMode: null, dynamicTools: null });
    repo.upsert({
      meta: { ...m, gitSha: 'bbb', gitBranch: 'main', gitOriginUrl: 'git@x:y.git' },
      memoryMode: null,
      dynamicTools: null,
    });
    expect(repo.get(m.id)).toMatchObject({ gitSha: 'aaa', gitBranch: 'main', gitOriginUrl: 'git@x:y.git' });
  });

  it('sets memory_mode on insert and from an explicit rollout value, otherwise keeps it', () => {
    const m = makeMeta();
    repo.upsert({ meta: m, memoryMode: 'disabled', dynamicTools: null });
    expect(repo.get(m.id)?.memoryMode).toBe('disabled');
    db.prepare("UPDATE threads SET memory_mode = 'polluted' WHERE id = ?").run(m.id);
    repo.upsert({ meta: m, memoryMode: null, dynamicTools: null });
    expect(repo.get(m.id)?.memoryMode).toBe('polluted');
    repo.upsert({ meta: m, memoryMode: 'enabled', dynamicTools: null });
    expect(repo.get(m.id)?.memoryMode).toBe('enabled');
  });

  it('keeps the first archived_at and clears it when unarchived', () => {
    const m = makeMeta({ archived: true, archivedAt: 100 });
    repo.upsert({ meta: m, memoryMode: null, dynamicTools: null });
    repo.upsert({ meta: { ...m, archivedAt: 200 }, memoryMode: null, dynamicTools: null });
    expect(repo.get(m.id)).toMatchObject({ archived: true, archivedAt: 100 });
    repo.upsert({ meta: { ...m, archived: false, archivedAt: null }, memoryMode: null, dynamicTools: null });
    expect(repo.get(m.id)).toMatchObject({ archived: false, archivedAt: null });
  });

  it('writes dynamic tools once and never changes them', () => {
    const m = makeMeta();
    const tools = [{ name: 'a', description: 'first', inputSchema: { type: 'object' } }];
    repo.upsert({ meta: m, memoryMode: null, dynamicTools: tools });
    repo.upsert({
      meta: m,
      memoryMode: null,
      dynamicTools: [{ name: 'b', description: 'changed', inputSchema: {} }],
    });
    expect(repo.dynamicTools(m.id)).toEqual(tools);
  });

  it('finds sub-agent children and forks', () => {
    const parent = makeMeta();
    const child = makeMeta({ parentThreadId: parent.id, source: 'x', agentNickname: 'Atlas' });
    const fork = makeMeta({ forkedFromId: parent.id });
    for (const meta of [parent, child, fork]) repo.upsert({ meta, memoryMode: null, dynamicTools: null });
    expect(
      repo
        .children(parent.id)
        .map((t) => t.id)
        .sort(),
    ).toEqual([child.id, fork.id].sort());
  });
});
