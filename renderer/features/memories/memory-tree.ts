import type { MemoryFileEntry } from '../../../preload/contract/index.ts';

/** One file or folder of the memory root; a folder's `bytes` is the sum of the files below it. */
export interface TreeNode {
  name: string;
  /** Relative to the memory root, `/`-separated. */
  path: string;
  kind: 'file' | 'dir';
  bytes: number;
  /** Epoch ms (a folder: its newest descendant, or its own time). */
  modifiedAt: number;
  /** How many files are below a folder (0 for a file). */
  files: number;
  children: TreeNode[];
}

/** A row of the tree as shown: the node and its depth (0 = top level). */
export interface TreeRow {
  node: TreeNode;
  depth: number;
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The handbook files a reader wants first, in order of preference. */
const PREFERRED = ['MEMORY.md', 'memory_summary.md', 'raw_memories.md'];
const rank = (n: TreeNode): number => {
  const i = PREFERRED.indexOf(n.path);
  return i === -1 ? PREFERRED.length : i;
};

/**
 * Folders first (as in VS Code and GitHub), then the handbook files in reading order, then the other
 * files, each by name with numbers in order.
 */
function compareNodes(a: TreeNode, b: TreeNode): number {
  if (a.kind !== b.kind) return a.kind === 'dir' ? -1 : 1;
  return (
    rank(a) - rank(b) || byName.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * The tree of a flat listing. Entries may come in any order; a file whose folder is not listed gets the
 * folder anyway (a listing capped mid-folder), and a path listed twice keeps its first entry.
 */
export function buildMemoryTree(entries: readonly MemoryFileEntry[]): TreeNode[] {
  const root: TreeNode = {
    name: '',
    path: '',
    kind: 'dir',
    bytes: 0,
    modifiedAt: 0,
    files: 0,
    children: [],
  };
  const nodes = new Map<string, TreeNode>([['', root]]);

  const dirAt = (path: string): TreeNode => {
    const found = nodes.get(path);
    if (found) return found;
    const cut = path.lastIndexOf('/');
    const parent = dirAt(cut === -1 ? '' : path.slice(0, cut));
    const dir: TreeNode = {
      name: path.slice(cut + 1),
      path,
      kind: 'dir',
      bytes: 0,
      modifiedAt: 0,
      files: 0,
      children: [],
    };
    parent.children.push(dir);
    nodes.set(path, dir);
    return dir;
  };

  for (const entry of entries) {
    const path = entry.path.split('/').filter(Boolean).join('/');
    if (path === '') continue;
    if (entry.kind === 'dir') {
      const dir = dirAt(path);
      dir.modifiedAt = Math.max(dir.modifiedAt, entry.modifiedAt);
      continue;
    }
    if (nodes.has(path)) continue;
    const cut = path.lastIndexOf('/');
    const parent = dirAt(cut === -1 ? '' : path.slice(0, cut));
    const file: TreeNode = {
      name: path.slice(cut + 1),
      path,
      kind: 'file',
      bytes: entry.bytes,
      modifiedAt: entry.modifiedAt,
      files: 0,
      children: [],
    };
    parent.children.push(file);
    nodes.set(path, file);
  }

  const finish = (dir: TreeNode): void => {
    dir.children.sort(compareNodes);
    for (const child of dir.children) {
      if (child.kind === 'dir') finish(child);
      dir.bytes += child.bytes;
      dir.files += child.kind === 'dir' ? child.files : 1;
      dir.modifiedAt = Math.max(dir.modifiedAt, child.modifiedAt);
    }
  };
  finish(root);
  return root.children;
}

/** The rows on screen: every top-level node, and the children of each expanded folder, depth first. */
export function visibleRows(tree: readonly TreeNode[], expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (nodes: readonly TreeNode[], depth: number): void => {
    for (const node of nodes) {
      rows.push({ node, depth });
      if (node.kind === 'dir' && expanded.has(node.path)) walk(node.children, depth + 1);
    }
  };
  walk(tree, 0);
  return rows;
}

/** The folders that contain `path` (`a/b/c.md` → `a`, `a/b`), to expand the way to a file. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Every file path in the tree, in display order (folders expanded). */
export function filePaths(tree: readonly TreeNode[]): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly TreeNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'file') out.push(n.path);
      else walk(n.children);
    }
  };
  walk(tree);
  return out;
}

/** The file to open when none is asked for: MEMORY.md, then the summary, then the first file. */
export function defaultFile(entries: readonly MemoryFileEntry[], tree: readonly TreeNode[]): string | null {
  const files = new Set(entries.filter((e) => e.kind === 'file').map((e) => e.path));
  return PREFERRED.find((p) => files.has(p)) ?? filePaths(tree)[0] ?? null;
}

/** Whether the text of a file is best shown as Markdown (otherwise: monospace text). */
export function isMarkdownPath(path: string): boolean {
  return /\.(md|markdown|mdx)$/i.test(path);
}
