import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useImperativeHandle, useRef, type KeyboardEvent, type Ref } from 'react';
import type { Thread } from '../../../preload/contract/index.ts';
import { ROW_HEIGHT, ThreadRow } from './ThreadRow.tsx';
import { useNow } from './use-now.ts';

/** Start fetching the next page this many rows before the end comes into view. */
const PREFETCH_ROWS = 30;

export interface ThreadListHandle {
  /** Focus the list; selects the first row when nothing is selected yet. */
  focus(): void;
}

interface ThreadListProps {
  ref?: Ref<ThreadListHandle>;
  items: readonly Thread[];
  selectedId: string | null;
  onSelect: (thread: Thread) => void;
  onOpen: (thread: Thread) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
}

/** The virtualised thread list: only visible rows exist in the DOM; arrows move, Enter opens. */
export function ThreadList(props: ThreadListProps) {
  const { ref, items, selectedId, onSelect, onOpen, hasNextPage, isFetchingNextPage, fetchNextPage } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const count = items.length + (hasNextPage ? 1 : 0);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => items[index]?.id ?? '__loader',
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= items.length - PREFETCH_ROWS) fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const selectedIndex = selectedId === null ? -1 : items.findIndex((t) => t.id === selectedId);

  const selectAt = (index: number): void => {
    const clamped = Math.max(0, Math.min(index, items.length - 1));
    const thread = items[clamped];
    if (!thread) return;
    onSelect(thread);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  useImperativeHandle(ref, () => ({
    focus() {
      scrollRef.current?.focus();
      if (selectedIndex < 0 && items[0]) onSelect(items[0]);
    },
  }));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        selectAt(selectedIndex + 1);
        break;
      case 'ArrowUp':
        selectAt(selectedIndex < 0 ? 0 : selectedIndex - 1);
        break;
      case 'PageDown':
        selectAt(selectedIndex + page);
        break;
      case 'PageUp':
        selectAt(selectedIndex - page);
        break;
      case 'Home':
        selectAt(0);
        break;
      case 'End':
        selectAt(items.length - 1);
        break;
      case 'Enter': {
        const thread = items[selectedIndex];
        if (thread) onOpen(thread);
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
      aria-activedescendant={selectedIndex >= 0 ? `thread-row-${items[selectedIndex]!.id}` : undefined}
      onKeyDown={onKeyDown}
      data-testid="thread-list"
    >
      <div className="thread-list__inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((row) => {
          const thread = items[row.index];
          if (!thread) {
            return (
              <div
                key={row.key}
                className="thread-list__loader"
                style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
                data-testid="thread-list-loader"
              >
                Loading more threads…
              </div>
            );
          }
          return (
            <ThreadRow
              key={row.key}
              thread={thread}
              selected={thread.id === selectedId}
              now={now}
              top={row.start}
              onSelect={onSelect}
              onOpen={onOpen}
            />
          );
        })}
      </div>
    </div>
  );
}
