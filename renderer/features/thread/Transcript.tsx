import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { OutlineTurn, TranscriptItem } from '../../../preload/contract/index.ts';
import { TRANSCRIPT_PAGE_SIZE, transcriptPageQuery, useTranscriptPages } from '../../api/use-transcript.ts';
import { warmMarkdown } from './Markdown.tsx';
import { TranscriptRow } from './TranscriptRow.tsx';
import { cappedString, turnIndexAt } from './transcript-format.ts';
import { useFindHighlight } from './use-find-highlight.ts';

export interface Jump {
  position: number;
  seq: number;
  /** Flash the row once it is on screen (deep links and find). */
  flash: boolean;
}

interface TranscriptProps {
  id: string;
  total: number;
  turns: readonly OutlineTurn[];
  showHidden: boolean;
  jump: Jump | null;
  findQuery: string;
  currentMatch: number | null;
  onTopPosition: (position: number) => void;
}

const ESTIMATE = 56;
/**
 * A jump keeps its target at the top while the pages around it load and measure: until nothing has moved
 * it for SETTLE_QUIET_MS (a slow machine keeps loading for longer), at most SETTLE_MAX_MS, and never
 * against the user (any wheel, touch, key or pointer input ends it).
 */
const SETTLE_QUIET_MS = 1500;
const SETTLE_MAX_MS = 10_000;
/** Room for the find bar above a row scrolled to the top; the row below it counts as the top row. */
const SCROLL_PADDING = 44;

function estimate(item: TranscriptItem, showHidden: boolean): number {
  if (item.hidden && !showHidden) return 0;
  if (item.kind === 'message' && !item.injected) return 60 + Math.min(600, item.text.text.length / 4);
  return item.kind === 'tool_call' && item.call.tool === 'patch' ? 240 : 40;
}

/** Loaded pages kept in view of the list: plenty, so rows that collapse or grow never flip back to estimates. */
const MAX_PAGES = 48;

/**
 * The pages to hold for the rows `first..last` (plus one either side): those, plus earlier ones up to
 * MAX_PAGES, dropping the farthest first. Dropping only far pages keeps the measured layout stable.
 */
export function keepPages(prev: readonly number[], first: number, last: number): number[] {
  const from = Math.max(0, Math.floor(first / TRANSCRIPT_PAGE_SIZE) - 1);
  const to = Math.floor(last / TRANSCRIPT_PAGE_SIZE) + 1;
  const wanted = new Set(prev);
  for (let p = from; p <= to; p++) wanted.add(p);
  if (wanted.size === prev.length) return prev as number[];
  const distance = (p: number) => (p < from ? from - p : p > to ? p - to : 0);
  return [...wanted]
    .sort((a, b) => distance(a) - distance(b) || a - b)
    .slice(0, MAX_PAGES)
    .sort((a, b) => a - b);
}

/** The nearest drawn position to `position`: its call for a folded output, else the closest shown line. */
function visibleTarget(items: TranscriptItem[], position: number): number {
  const at = items.find((i) => i.position === position);
  if (!at || !at.hidden) return position;
  if (at.kind === 'tool_output' && at.pairedWith !== null) return at.pairedWith;
  const before = items.filter((i) => i.position < position && !i.hidden).at(-1);
  const after = items.find((i) => i.position > position && !i.hidden);
  return before?.position ?? after?.position ?? position;
}

/** The Markdown texts rows would render for `items`, nearest to `around` first. */
function markdownTexts(items: ReadonlyMap<number, TranscriptItem>, around: number): string[] {
  const found: { distance: number; text: string }[] = [];
  for (const item of items.values()) {
    if (item.hidden) continue;
    if ((item.kind === 'message' && !item.injected) || item.kind === 'plan')
      found.push({ distance: Math.abs(item.position - around), text: cappedString(item.text) });
  }
  return found.sort((a, b) => a.distance - b.distance).map((f) => f.text);
}

/**
 * The virtualised transcript: rows are line positions; pages load as they scroll into view. Memoised:
 * the page re-renders when the outline's active turn changes, which changes nothing here.
 */
export const Transcript = memo(function Transcript({
  id,
  total,
  turns,
  showHidden,
  jump,
  findQuery,
  currentMatch,
  onTopPosition,
}: TranscriptProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const queryClient = useQueryClient();
  const [expanded, setExpanded] = useState<ReadonlyMap<number, boolean>>(new Map());
  const [flash, setFlash] = useState<number | null>(null);
  const [pages, setPages] = useState<number[]>([0]);
  const loaded = useTranscriptPages(id, pages);
  // The rows of a page that just arrived (Markdown, highlighting, diffs) render in a transition, which
  // React time-slices, instead of in one long task; until then they show as loading. The layout
  // (estimates below) follows the data at once: a jump's settling scroll must see the final estimates.
  const items = useDeferredValue(loaded);

  // The virtualizer re-reads the estimates of every row after the first one whose size changed, often
  // once per measured row: an array read each. And it re-reads all of them whenever getItemKey changes
  // identity: tie that to the estimates, so it happens when a page arrives, not on every scroll frame.
  const estimates = useMemo(() => {
    const sizes = new Float64Array(total).fill(ESTIMATE);
    for (const item of loaded.values())
      if (item.position < total) sizes[item.position] = estimate(item, showHidden);
    return sizes;
  }, [loaded, showHidden, total]);
  const estimateSize = useCallback((index: number) => estimates[index] ?? ESTIMATE, [estimates]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the dependency is the point (see above)
  const getItemKey = useCallback((index: number) => index, [estimates]);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    // Rows rendered beyond the viewport: 8 keeps fast scrolling from ever waiting for rows while a jump
    // (End, a search hit) renders fewer at once (12 let one End jump in five runs reach a 58 ms task).
    overscan: 8,
    scrollPaddingStart: SCROLL_PADDING,
    getItemKey,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const first = virtualItems[0]?.index ?? 0;
  const last = virtualItems.at(-1)?.index ?? 0;

  useEffect(() => {
    // Out of the task that rendered the new range (a scroll event, a resize observer, a commit): the
    // page requests and their query bookkeeping are work of their own.
    const timer = setTimeout(() => setPages((prev) => keepPages(prev, first, last)), 0);
    return () => clearTimeout(timer);
  }, [first, last]);

  // Parse the Markdown of loaded rows in idle time, nearest first: rows scrolling into view then mount
  // without parsing in the scroll handler.
  const firstRef = useRef(first);
  useEffect(() => {
    firstRef.current = first;
  }, [first]);
  useEffect(() => warmMarkdown(markdownTexts(loaded, firstRef.current)), [loaded]);

  const topRef = useRef(-1);
  useEffect(() => {
    const top =
      virtualItems.find((v) => v.end > (virtualizer.scrollOffset ?? 0) + SCROLL_PADDING + 1)?.index ?? first;
    if (top !== topRef.current) {
      topRef.current = top;
      onTopPosition(top);
    }
  });

  // After a jump, pages around the target keep arriving (and change the estimated heights of the rows
  // above it): keep the target at the top (see SETTLE_QUIET_MS).
  const settle = useRef<{ index: number; quietUntil: number; deadline: number } | null>(null);
  // Every render: pages arriving, rows measured, the resize observer. A no-op once the target is in place.
  useLayoutEffect(() => {
    const s = settle.current;
    if (!s) return;
    const now = Date.now();
    // Rows in the window still loading, or loaded rows not yet rendered (the deferred transition):
    // they will move things, so quiet time starts after them.
    if (items !== loaded || virtualItems.some((v) => v.index < total && !loaded.has(v.index)))
      s.quietUntil = Math.max(s.quietUntil, now + SETTLE_QUIET_MS);
    if (now > s.quietUntil || now > s.deadline) {
      settle.current = null;
      return;
    }
    const offset = virtualizer.getOffsetForIndex(s.index, 'start')?.[0];
    if (offset !== undefined && Math.abs(offset - (virtualizer.scrollOffset ?? 0)) >= 1) {
      virtualizer.scrollToIndex(s.index, { align: 'start' });
      s.quietUntil = now + SETTLE_QUIET_MS;
    }
  });
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const release = (): void => {
      settle.current = null;
    };
    const events = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
    for (const e of events) el.addEventListener(e, release, { passive: true });
    return () => {
      for (const e of events) el.removeEventListener(e, release);
    };
  }, []);

  useEffect(() => {
    if (!jump) return;
    let cancelled = false;
    void (async () => {
      const page = Math.floor(jump.position / TRANSCRIPT_PAGE_SIZE);
      const data = await queryClient.fetchQuery(transcriptPageQuery(id, page)).catch(() => null);
      if (cancelled) return;
      const target = data ? visibleTarget(data.items, jump.position) : jump.position;
      virtualizer.scrollToIndex(Math.min(target, Math.max(0, total - 1)), { align: 'start' });
      const now = Date.now();
      settle.current = {
        index: Math.min(target, Math.max(0, total - 1)),
        quietUntil: now + SETTLE_QUIET_MS,
        deadline: now + SETTLE_MAX_MS,
      };
      // Rows above measure as they load; settle once more after they have.
      setTimeout(() => {
        if (!cancelled)
          virtualizer.scrollToIndex(Math.min(target, Math.max(0, total - 1)), { align: 'start' });
      }, 120);
      if (jump.flash) setFlash(target);
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a jump runs once per seq
  }, [jump?.seq]);

  useEffect(() => {
    if (flash === null) return;
    const t = setTimeout(() => setFlash(null), 1800);
    return () => clearTimeout(t);
  }, [flash]);

  const onToggle = useCallback((position: number, open: boolean) => {
    setExpanded((prev) => {
      if (prev.get(position) === open) return prev;
      const next = new Map(prev);
      next.set(position, open);
      return next;
    });
  }, []);

  useFindHighlight(scrollRef, findQuery, currentMatch);

  const turnOf = useMemo(() => {
    const byEnd = new Map<number, OutlineTurn>();
    for (const t of turns) if (t.endPosition !== null) byEnd.set(t.endPosition, t);
    return (item: TranscriptItem): OutlineTurn | null => {
      if (item.kind === 'turn_end')
        return byEnd.get(item.position) ?? turns[turnIndexAt(turns, item.position)] ?? null;
      if (item.kind === 'turn_start') return turns[turnIndexAt(turns, item.position)] ?? null;
      return null;
    };
  }, [turns]);

  return (
    <div
      className="transcript"
      ref={scrollRef}
      tabIndex={-1}
      data-testid="transcript"
      aria-label="Transcript"
    >
      <div className="transcript__inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((v) => {
          const item = items.get(v.index);
          const hidden = item?.hidden === true && !showHidden;
          return (
            <div
              key={v.key}
              ref={virtualizer.measureElement}
              data-index={v.index}
              data-position={v.index}
              data-kind={item?.kind}
              className={`row${hidden ? ' row--hidden' : ''}${item?.hidden ? ' row--was-hidden' : ''}${flash === v.index ? ' is-flash' : ''}${currentMatch === v.index ? ' is-match' : ''}`}
              style={{ transform: `translateY(${v.start}px)` }}
            >
              {!item ? (
                <div className="row__loading" aria-hidden="true">
                  <div className="skeleton" />
                </div>
              ) : hidden ? null : (
                <div className="row__content">
                  <TranscriptRow
                    item={item}
                    turn={turnOf(item)}
                    expanded={expanded.get(item.position)}
                    onToggle={onToggle}
                    threadId={id}
                  />
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
});
