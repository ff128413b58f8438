import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { formatBytes } from '../feedback/feedback-format.ts';
import { FolderIcon } from '../feedback/feedback-icons.tsx';
import { ChevronRightIcon } from '../logs/log-icons.tsx';
import { FileIcon } from './memories-icons.tsx';
import { ancestorsOf, visibleRows, type TreeNode } from './memory-tree.ts';

/** Folders with at most this many entries start open (rollout_summaries/ of a small root, skills/). */
const OPEN_UP_TO = 40;

function initialExpanded(tree: readonly TreeNode[], selected: string | null): Set<string> {
  const open = new Set(selected ? ancestorsOf(selected) : []);
  for (const n of tree) if (n.kind === 'dir' && n.children.length <= OPEN_UP_TO) open.add(n.path);
  return open;
}

/**
 * The memory root as a tree (WAI-ARIA tree view): ↑/↓ move, → opens a folder or enters it, ← closes it
 * or goes to its parent, Enter/Space opens a file or toggles a folder, Home/End jump.
 */
export function FileTree({
  tree,
  selected,
  onSelect,
}: {
  tree: readonly TreeNode[];
  selected: string | null;
  onSelect: (path: string) => void;
}) {
  const [expanded, setExpanded] = useState(() => initialExpanded(tree, selected));
  // A file opened by a link (e.g. from MEMORY.md) shows inside its folder.
  const [seenSelected, setSeenSelected] = useState(selected);
  if (selected !== seenSelected) {
    setSeenSelected(selected);
    const missing = selected ? ancestorsOf(selected).filter((p) => !expanded.has(p)) : [];
    if (missing.length > 0) setExpanded(new Set([...expanded, ...missing]));
  }
  const rows = useMemo(() => visibleRows(tree, expanded), [tree, expanded]);
  const [focused, setFocused] = useState<string | null>(selected);
  const focusPath = rows.some((r) => r.node.path === focused) ? focused : (selected ?? rows[0]?.node.path);
  const items = useRef(new Map<string, HTMLDivElement>());
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current || !focusPath) return;
    moved.current = false;
    items.current.get(focusPath)?.focus();
  }, [focusPath]);

  const toggle = (path: string, open?: boolean): void =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return next;
    });
  const focusRow = (path: string): void => {
    moved.current = true;
    setFocused(path);
  };
  const activate = (node: TreeNode): void => {
    if (node.kind === 'dir') toggle(node.path);
    else onSelect(node.path);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const i = rows.findIndex((r) => r.node.path === focusPath);
    const row = rows[i];
    if (!row) return;
    const { node, depth } = row;
    let handled = true;
    if (e.key === 'ArrowDown') focusRow(rows[Math.min(rows.length - 1, i + 1)]!.node.path);
    else if (e.key === 'ArrowUp') focusRow(rows[Math.max(0, i - 1)]!.node.path);
    else if (e.key === 'Home') focusRow(rows[0]!.node.path);
    else if (e.key === 'End') focusRow(rows[rows.length - 1]!.node.path);
    else if (e.key === 'ArrowRight') {
      if (node.kind === 'dir' && !expanded.has(node.path)) toggle(node.path, true);
      else if (node.kind === 'dir' && node.children[0]) focusRow(node.children[0].path);
    } else if (e.key === 'ArrowLeft') {
      if (node.kind === 'dir' && expanded.has(node.path)) toggle(node.path, false);
      else if (depth > 0) focusRow(ancestorsOf(node.path).at(-1)!);
    } else if (e.key === 'Enter' || e.key === ' ') activate(node);
    else handled = false;
    if (handled) e.preventDefault();
  };

  return (
    <div
      className="mem-tree"
      role="tree"
      aria-label="Memory files"
      onKeyDown={onKeyDown}
      data-testid="memories-tree"
    >
      {rows.map(({ node, depth }) => {
        const open = expanded.has(node.path);
        const isSelected = node.kind === 'file' && node.path === selected;
        return (
          <div
            key={node.path}
            ref={(el) => {
              if (el) items.current.set(node.path, el);
              else items.current.delete(node.path);
            }}
            role="treeitem"
            aria-level={depth + 1}
            aria-expanded={node.kind === 'dir' ? open : undefined}
            aria-selected={isSelected}
            tabIndex={node.path === focusPath ? 0 : -1}
            className={`mem-tree__row${isSelected ? ' is-selected' : ''}`}
            style={{ paddingLeft: 8 + depth * 14 }}
            title={node.kind === 'dir' ? `${node.path}/ — ${node.files} files` : node.path}
            onClick={() => {
              setFocused(node.path);
              activate(node);
            }}
            data-testid="memories-tree-item"
            data-path={node.path}
            data-kind={node.kind}
          >
            <span className="mem-tree__twisty" aria-hidden="true">
              {node.kind === 'dir' && <ChevronRightIcon className={open ? 'is-open' : undefined} />}
            </span>
            <span className={`mem-tree__icon mem-tree__icon--${node.kind}`} aria-hidden="true">
              {node.kind === 'dir' ? <FolderIcon /> : <FileIcon />}
            </span>
            <span className="mem-tree__name">{node.name}</span>
            <span className="mem-tree__meta">{formatBytes(node.bytes)}</span>
          </div>
        );
      })}
    </div>
  );
}
