import { listMoveTarget } from '../../components/list-keys.ts';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  type KeyboardEvent,
  type Ref,
} from 'react';
import type { Thread } from '../../../preload/contract/index.ts';
import type { ListRow } from './group-threads.ts';
import { GroupHeader, HEADER_HEIGHT } from './GroupHeader.tsx';
import { ROW_HEIGHT, ThreadRow } from './ThreadRow.tsx';
import { useNow } from './use-now.ts';

/** Start fetching the next page this many rows before the end comes into view. */
const PREFETCH_ROWS = 30;

export interface ThreadListHandle {
  /** Focus the list; selects the first thread when nothing is selected yet. */
  focus(): void;
}

interface ThreadListProps {
  ref?: Ref<ThreadListHandle>;
  rows: readonly ListRow[];
  selectedId: string | null;
  onSelect: (thread: Thread) => void;
  onOpen: (thread: Thread) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  /** Changes when the filters do: the list then starts again from the top. */
  resetKey: string;
}

/** The last entry of an ascending array that is <= `value`, or -1: runs on every scroll frame. */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = sorted[mid]!;
    if (at <= value) {
      found = at;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Position of `value` in an ascending array, or -1: runs on every render, so no linear scan. */
function sortedIndexOf(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = sorted[mid]!;
    if (at === value) return mid;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

interface Anchor {
  key: string;
  /** The anchor row's top relative to the viewport's top. */
  delta: number;
}

/**
 * The virtualised thread list: only visible rows exist in the DOM. Group headers are rows too, and the
 * current group's header sticks to the top. Arrows (and j/k) move the selection, Enter opens the thread.
 * When rows arrive above the viewport (live updates), the first visible row keeps its place on screen.
 */
export function ThreadList(props: ThreadListProps) {
  const { ref, rows, selectedId, onSelect, onOpen, hasNextPage, isFetchingNextPage, fetchNextPage } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const count = rows.length + (hasNextPage ? 1 : 0);

  const { headerIndexes, threadIndexes, indexById } = useMemo(() => {
    const headers: number[] = [];
    const threads: number[] = [];
    const byId = new Map<string, number>();
    rows.forEach((row, i) => {
      if (row.kind === 'header') headers.push(i);
      else {
        threads.push(i);
        byId.set(row.thread.id, i);
      }
    });
    return { headerIndexes: headers, threadIndexes: threads, indexById: byId };
  }, [rows]);

  const activeHeader = useRef(-1);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const active = lastAtOrBefore(headerIndexes, range.startIndex);
      activeHeader.current = active;
      const next = defaultRangeExtractor(range);
      return active >= 0 && !next.includes(active) ? [active, ...next] : next;
    },
    [headerIndexes],
  );

  // Stable between renders: a new getItemKey makes the virtualizer rebuild the layout of every loaded row,
  // which must happen when the rows change, not on every scroll frame.
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? '__loader', [rows]);
  const estimateSize = useCallback(
    (i: number) => (rows[i]?.kind === 'header' ? HEADER_HEIGHT : ROW_HEIGHT),
    [rows],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    // Rows past the viewport on each side: more than a fast fling moves per frame (~4 rows), and
    // fewer to build on each jump (End, PageDown) than a 12-row margin.
    overscan: 6,
    getItemKey,
    rangeExtractor,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;

  useEffect(() => {
    if (!hasNextPage || isFetchingNextPage || lastIndex < rows.length - PREFETCH_ROWS) return;
    // Out of the scroll event's task (this effect runs inside it): the request and the query's
    // state change are work of their own.
    const timer = setTimeout(fetchNextPage, 0);
    return () => clearTimeout(timer);
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // Scroll anchoring: remember the first visible row on every render; when the rows change, put it back
  // where it was. At the very top nothing is pinned, so new threads show up in view.
  const anchor = useRef<Anchor | null>(null);
  const lastRows = useRef(rows);
  const lastReset = useRef(props.resetKey);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (lastReset.current !== props.resetKey) {
      lastReset.current = props.resetKey;
      el.scrollTop = 0;
    } else if (lastRows.current !== rows && anchor.current) {
      const { key, delta } = anchor.current;
      const index = indexById.get(key) ?? rows.findIndex((r) => r.key === key);
      if (index >= 0) {
        const top = virtualizer.getOffsetForIndex(index, 'start')?.[0];
        if (top !== undefined && Math.abs(top - delta - el.scrollTop) >= 1) el.scrollTop = top - delta;
      }
    }
    lastRows.current = rows;
    const scrollTop = el.scrollTop;
    const first = virtualizer
      .getVirtualItems()
      .find((v) => v.end > scrollTop && v.index !== activeHeader.current && rows[v.index]);
    anchor.current =
      scrollTop > 0 && first ? { key: String(first.key), delta: first.start - scrollTop } : null;
  });

  const selectedIndex = selectedId === null ? -1 : (indexById.get(selectedId) ?? -1);
  const selectedPos = selectedIndex < 0 ? -1 : sortedIndexOf(threadIndexes, selectedIndex);

  const selectPos = (pos: number): void => {
    const clamped = Math.max(0, Math.min(pos, threadIndexes.length - 1));
    const index = threadIndexes[clamped];
    if (index === undefined) return;
    const row = rows[index];
    if (!row || row.kind !== 'thread') return;
    onSelect(row.thread);
    // Keep the group header in view when moving onto a group's first thread.
    const prev = rows[index - 1];
    virtualizer.scrollToIndex(prev?.kind === 'header' && clamped > 0 ? index - 1 : index, { align: 'auto' });
  };

  useImperativeHandle(ref, () => ({
    focus() {
      scrollRef.current?.focus();
      if (selectedPos < 0) selectPos(0);
    },
  }));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const target = listMoveTarget(e.key, selectedPos, threadIndexes.length, page);
    if (target !== null) {
      selectPos(target);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case 'Enter': {
        const row = rows[selectedIndex];
        if (row?.kind === 'thread') onOpen(row.thread);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="thread-list"
      role="listbox"
      aria-label="Threads"
      tabIndex={0}
      aria-activedescendant={
        selectedId !== null && selectedIndex >= 0 ? `thread-row-${selectedId}` : undefined
      }
      onKeyDown={onKeyDown}
      data-testid="thread-list"
    >
      <div className="thread-list__inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((item) => {
          const row = rows[item.index];
          if (!row) {
            return (
              <div
                key={item.key}
                className="thread-list__loader"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-testid="thread-list-loader"
              >
                Loading more threads…
              </div>
            );
          }
          if (row.kind === 'header') {
            return (
              <GroupHeader
                key={item.key}
                header={row}
                sticky={item.index === activeHeader.current}
                top={item.start}
              />
            );
          }
          return (
            <ThreadRow
              key={item.key}
              thread={row.thread}
              selected={row.thread.id === selectedId}
              now={now}
              top={item.start}
              onSelect={onSelect}
              onOpen={onOpen}
            />
          );
        })}
      </div>
    </div>
  );
}
