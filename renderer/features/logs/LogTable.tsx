import { listMoveTarget } from '../../components/list-keys.ts';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type Ref,
} from 'react';
import type { LogRecord } from '../../../preload/contract/index.ts';
import { useNow } from '../threads/use-now.ts';
import { LOG_ROW_HEIGHT, LogRow, type LogRowActions } from './LogRow.tsx';

/** Start fetching the next page this many rows before the end comes into view. */
const PREFETCH_ROWS = 60;
/** Within this many px of the top counts as "at the top" (live rows are shown as they come). */
const TOP_SLACK = 4;
const EXPANDED_ESTIMATE = 190;
/** The sticky column header inside the scroller; rows start below it. */
const HEAD_HEIGHT = 24;

export interface LogTableHandle {
  focus(): void;
  scrollToTop(): void;
}

interface LogTableProps extends Omit<LogRowActions, 'onToggle'> {
  ref?: Ref<LogTableHandle>;
  rows: readonly LogRecord[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  /** What the loader row says (e.g. "Searched back to …"). */
  loaderText: string;
  /** Changes with the source and filters: selection and expansion reset, the table goes to the top. */
  resetKey: string;
  onAtTop: (atTop: boolean) => void;
  /** Escape with nothing selected: hand focus back (to the text filter). */
  onEscape: () => void;
}

interface Anchor {
  id: number;
  delta: number;
}

/**
 * The virtualised log table. Rows are 22 px; an expanded row grows and is measured. Arrows or j/k move
 * the selection, Enter expands, Escape collapses then clears. Rows arriving above the viewport (the
 * live tail) keep the first visible row where it was, unless the table is at its very top.
 */
export function LogTable(props: LogTableProps) {
  const { ref, rows, hasNextPage, isFetchingNextPage, fetchNextPage, resetKey, onAtTop } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const nowMs = useNow();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [lastReset, setLastReset] = useState(resetKey);
  if (lastReset !== resetKey) {
    setLastReset(resetKey);
    setSelectedId(null);
    setExpanded(new Set());
  }

  const indexById = useMemo(() => new Map(rows.map((r, i) => [r.id, i])), [rows]);
  const count = rows.length + (hasNextPage ? 1 : 0);
  const getItemKey = useCallback((i: number) => rows[i]?.id ?? -1, [rows]);
  const estimateSize = useCallback(
    (i: number) => {
      const row = rows[i];
      return row && expanded.has(row.id) ? EXPANDED_ESTIMATE : LOG_ROW_HEIGHT;
    },
    [rows, expanded],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: 12,
    getItemKey,
    paddingStart: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (!hasNextPage || isFetchingNextPage || lastIndex < rows.length - PREFETCH_ROWS) return;
    const timer = setTimeout(fetchNextPage, 0);
    return () => clearTimeout(timer);
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // Scroll anchoring, as in the thread list: pin the first visible row unless at the top.
  const anchor = useRef<Anchor | null>(null);
  const lastRows = useRef(rows);
  const lastKey = useRef(resetKey);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (lastKey.current !== resetKey) {
      lastKey.current = resetKey;
      el.scrollTop = 0;
    } else if (lastRows.current !== rows && anchor.current) {
      const index = indexById.get(anchor.current.id);
      if (index !== undefined) {
        const top = virtualizer.getOffsetForIndex(index, 'start')?.[0];
        if (top !== undefined && Math.abs(top - anchor.current.delta - el.scrollTop) >= 1)
          el.scrollTop = top - anchor.current.delta;
      }
    }
    lastRows.current = rows;
    const scrollTop = el.scrollTop;
    const first = virtualizer.getVirtualItems().find((v) => v.end > scrollTop && rows[v.index]);
    anchor.current =
      scrollTop > TOP_SLACK && first ? { id: rows[first.index]!.id, delta: first.start - scrollTop } : null;
  });

  const atTop = useRef(true);
  // A table that appears starts at the top; one that goes away leaves the page following again.
  useEffect(() => {
    onAtTop(true);
    return () => onAtTop(true);
  }, [onAtTop]);
  const onScroll = (): void => {
    const now = (scrollRef.current?.scrollTop ?? 0) <= TOP_SLACK;
    if (now !== atTop.current) {
      atTop.current = now;
      onAtTop(now);
    }
  };

  const onToggle = useCallback((id: number) => {
    setSelectedId(id);
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);

  const selectedIndex = selectedId === null ? -1 : (indexById.get(selectedId) ?? -1);
  const select = (index: number): void => {
    const clamped = Math.max(0, Math.min(index, rows.length - 1));
    const row = rows[clamped];
    if (!row) return;
    setSelectedId(row.id);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  useImperativeHandle(ref, () => ({
    focus() {
      scrollRef.current?.focus();
      if (selectedIndex < 0) select(0);
    },
    scrollToTop() {
      if (scrollRef.current) scrollRef.current.scrollTop = 0;
    },
  }));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target !== e.currentTarget && e.key !== 'Escape') return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / LOG_ROW_HEIGHT) - 1);
    const target = listMoveTarget(e.key, selectedIndex, rows.length, page);
    if (target !== null) {
      select(target);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case 'Enter':
      case ' ':
        if (selectedId !== null) onToggle(selectedId);
        break;
      case 'Escape':
        if (selectedId !== null && expanded.has(selectedId)) onToggle(selectedId);
        else if (selectedId !== null) setSelectedId(null);
        else props.onEscape();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="log-table"
      role="grid"
      aria-label="Log rows"
      aria-rowcount={rows.length + 1}
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      aria-activedescendant={selectedIndex >= 0 ? `log-row-${selectedId}` : undefined}
      data-testid="log-table"
    >
      <div className="log-table__head" role="row">
        <span role="columnheader">Time</span>
        <span role="columnheader">Level</span>
        <span role="columnheader">Target</span>
        <span role="columnheader">Thread</span>
        <span role="columnheader">Message</span>
      </div>
      <div className="log-table__inner" style={{ height: virtualizer.getTotalSize() - HEAD_HEIGHT }}>
        {items.map((item) => {
          const row = rows[item.index];
          return (
            <div
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              className="log-table__item"
              style={{ transform: `translateY(${item.start - HEAD_HEIGHT}px)` }}
            >
              {row ? (
                <LogRow
                  row={row}
                  selected={row.id === selectedId}
                  expanded={expanded.has(row.id)}
                  nowMs={nowMs}
                  onToggle={onToggle}
                  onFilterThread={props.onFilterThread}
                  onFilterProcess={props.onFilterProcess}
                />
              ) : (
                <div className="log-table__loader" data-testid="log-table-loader">
                  {props.loaderText}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
