import { describe, expect, it } from 'vitest';
import type { Thread } from '../../../preload/contract/index.ts';
import { dayLabel, groupThreads, type HeaderRow, type ListRow } from './group-threads.ts';

const at = (y: number, m: number, d: number, h = 12): number => new Date(y, m - 1, d, h).getTime() / 1000;

function thread(id: string, cwd: string, updatedAt: number, createdAt = updatedAt): Thread {
  return {
    id,
    rolloutPath: `/codex/${id}.jsonl`,
    createdAt,
    updatedAt,
    source: 'cli',
    modelProvider: 'openai',
    model: 'gpt-5',
    reasoningEffort: null,
    cwd,
    title: id,
    firstUserMessage: id,
    cliVersion: '0.1.0',
    originator: null,
    gitSha: null,
    gitBranch: null,
    gitOriginUrl: null,
    agentNickname: null,
    agentRole: null,
    agentDepth: null,
    parentThreadId: null,
    forkedFromId: null,
    archived: false,
    archivedAt: null,
    tokensUsed: 0,
    sandboxPolicy: 'read-only',
    approvalMode: 'never',
    memoryMode: 'enabled',
  };
}

const now = new Date(2026, 10, 30, 18);
const shape = (rows: ListRow[]): string[] =>
  rows.map((r) => (r.kind === 'header' ? `# ${r.label} ${r.count}${r.partial ? '+' : ''}` : r.thread.id));

describe('groupThreads', () => {
  // Newest first, as the list returns them.
  const items = [
    thread('a', '/w/app', at(2026, 11, 30, 17)),
    thread('b', '/w/lib', at(2026, 11, 30, 9)),
    thread('c', '/w/app', at(2026, 11, 29), at(2026, 11, 1)),
    thread('d', '', at(2026, 11, 23)),
    thread('e', '/w/lib', at(2025, 12, 31)),
  ];

  it('without grouping is the list itself', () => {
    expect(shape(groupThreads(items, 'none', 'updated_at', now, true))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('groups by local day of the sort column, with readable headers and counts', () => {
    expect(shape(groupThreads(items, 'day', 'updated_at', now, true))).toEqual([
      '# Today 2',
      'a',
      'b',
      '# Yesterday 1',
      'c',
      `# ${dayLabel(new Date(2026, 10, 23), now)} 1`,
      'd',
      `# ${dayLabel(new Date(2025, 11, 31), now)} 1`,
      'e',
    ]);
    expect(dayLabel(new Date(2025, 11, 31), now)).toMatch(/2025/);
    expect(dayLabel(new Date(2026, 10, 23), now)).not.toMatch(/2026/);
  });

  it('keeps row keys unique even for items out of day order', () => {
    const shuffled = [items[0]!, items[2]!, items[1]!];
    const rows = groupThreads(shuffled, 'day', 'updated_at', now, true);
    expect(shape(rows)).toEqual(['# Today 1', 'a', '# Yesterday 1', 'c', '# Today 1', 'b']);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('marks the last day as partial while more pages exist', () => {
    const rows = groupThreads(items, 'day', 'updated_at', now, false);
    const headers = rows.filter((r): r is HeaderRow => r.kind === 'header');
    expect(headers.map((h) => h.partial)).toEqual([false, false, false, true]);
  });

  it('groups by project in list order (the server sends them by cwd), full path kept for hover', () => {
    const rows = groupThreads(items, 'project', 'updated_at', now, true);
    expect(shape(rows)).toEqual(['# app 2', 'a', 'c', '# lib 2', 'b', 'e', '# No project 1', 'd']);
    const first = rows[0] as HeaderRow;
    expect(first.title).toBe('/w/app');
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('marks only the last project as partial while more pages exist (it may continue on the next page)', () => {
    const rows = groupThreads(items, 'project', 'updated_at', now, false);
    const headers = rows.filter((r): r is HeaderRow => r.kind === 'header');
    expect(headers.map((h) => h.partial)).toEqual([false, false, true]);
  });
});
