import { describe, expect, it } from 'vitest';
import type { MemoryFileEntry } from '../../../preload/contract/index.ts';
import {
  ancestorsOf,
  buildMemoryTree,
  defaultFile,
  filePaths,
  isMarkdownPath,
  visibleRows,
} from './memory-tree.ts';

const file = (path: string, bytes: number, modifiedAt = 1_000): MemoryFileEntry => ({
  path,
  kind: 'file',
  bytes,
  modifiedAt,
});
const dir = (path: string, modifiedAt = 1_000): MemoryFileEntry => ({
  path,
  kind: 'dir',
  bytes: 0,
  modifiedAt,
});

// As main lists a real root: sorted by name per folder, folders before their contents.
const ROOT: MemoryFileEntry[] = [
  file('MEMORY.md', 2_000, 5_000),
  file('memory_summary.md', 300),
  file('raw_memories.md', 4_096),
  dir('rollout_summaries'),
  file('rollout_summaries/2025-02-11T15-35-19-jqmb-fix_10.md', 10, 9_000),
  file('rollout_summaries/2025-02-11T15-35-19-jqmb-fix_9.md', 20),
  dir('skills'),
  dir('skills/release'),
  file('skills/release/SKILL.md', 70),
];

describe('buildMemoryTree', () => {
  it('nests a flat listing, folders first, names in natural order, with folder sizes and counts', () => {
    const tree = buildMemoryTree(ROOT);
    expect(tree.map((n) => n.name)).toEqual([
      'rollout_summaries',
      'skills',
      'MEMORY.md',
      'memory_summary.md',
      'raw_memories.md',
    ]);
    const summaries = tree[0]!;
    expect(summaries).toMatchObject({
      kind: 'dir',
      path: 'rollout_summaries',
      bytes: 30,
      files: 2,
      modifiedAt: 9_000,
    });
    // fix_9 before fix_10: numbers compare as numbers.
    expect(summaries.children.map((n) => n.name)).toEqual([
      '2025-02-11T15-35-19-jqmb-fix_9.md',
      '2025-02-11T15-35-19-jqmb-fix_10.md',
    ]);
    expect(tree[1]).toMatchObject({ path: 'skills', bytes: 70, files: 1 });
    expect(tree[1]!.children[0]).toMatchObject({ path: 'skills/release', kind: 'dir', files: 1 });
  });

  it('builds missing folders, ignores a repeated path, and accepts any order', () => {
    const tree = buildMemoryTree([file('a/b/c.md', 5), file('z.md', 1), file('a/b/c.md', 99), dir('a')]);
    expect(filePaths(tree)).toEqual(['a/b/c.md', 'z.md']);
    expect(tree[0]).toMatchObject({ path: 'a', bytes: 5, files: 1 });
    expect(tree[0]!.children[0]).toMatchObject({ path: 'a/b', name: 'b', kind: 'dir' });
  });

  it('is empty for an empty root', () => {
    expect(buildMemoryTree([])).toEqual([]);
    expect(defaultFile([], [])).toBeNull();
  });
});

describe('tree rows and selection', () => {
  it('shows the children of expanded folders only, with their depth', () => {
    const tree = buildMemoryTree(ROOT);
    const collapsed = visibleRows(tree, new Set());
    expect(collapsed.map((r) => r.node.path)).toEqual([
      'rollout_summaries',
      'skills',
      'MEMORY.md',
      'memory_summary.md',
      'raw_memories.md',
    ]);
    const open = visibleRows(tree, new Set(['skills', 'skills/release']));
    expect(open.slice(1, 4).map((r) => [r.node.path, r.depth])).toEqual([
      ['skills', 0],
      ['skills/release', 1],
      ['skills/release/SKILL.md', 2],
    ]);
  });

  it('finds the folders to open for a file and the file to show first', () => {
    expect(ancestorsOf('skills/release/SKILL.md')).toEqual(['skills', 'skills/release']);
    expect(ancestorsOf('MEMORY.md')).toEqual([]);
    const tree = buildMemoryTree(ROOT);
    expect(defaultFile(ROOT, tree)).toBe('MEMORY.md');
    const noHandbook = ROOT.filter((e) => !e.path.endsWith('.md') || e.path.includes('/'));
    expect(defaultFile(noHandbook, buildMemoryTree(noHandbook))).toBe(
      'rollout_summaries/2025-02-11T15-35-19-jqmb-fix_9.md',
    );
  });

  it('knows Markdown by extension', () => {
    expect(isMarkdownPath('MEMORY.md')).toBe(true);
    expect(isMarkdownPath('skills/x/SKILL.MD')).toBe(true);
    expect(isMarkdownPath('skills/x/run.sh')).toBe(false);
  });
});
