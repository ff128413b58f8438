import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SortKey, Thread } from '../../../preload/contract/index.ts';
import type { ThreadFilters } from '../../api/query-keys.ts';
import { isIngestBusy, useAppInfo, useIngestStatus } from '../../api/use-app-status.ts';
import { useThreads } from '../../api/use-threads.ts';
import { SplitPane } from '../../components/SplitPane.tsx';
import { IngestProgressBar } from './IngestProgressBar.tsx';
import { ThreadDetail } from './ThreadDetail.tsx';
import { ThreadList, type ThreadListHandle } from './ThreadList.tsx';
import { ThreadsEmpty, ThreadsError, ThreadsLoading } from './ThreadsStates.tsx';
import { ThreadsToolbar } from './ThreadsToolbar.tsx';
import { formatNumber } from './thread-format.ts';
import { useDebouncedValue } from './use-debounced-value.ts';

const SEARCH_DEBOUNCE_MS = 150;

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function ThreadsPage() {
  const [search, setSearch] = useState('');
  const [sortKey, setSortKey] = useState<SortKey>('updated_at');
  const [archived, setArchived] = useState(false);
  const [selected, setSelected] = useState<Thread | null>(null);
  const searchTerm = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);

  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<ThreadListHandle>(null);
  const detailRef = useRef<HTMLElement>(null);

  const filters = useMemo<ThreadFilters>(
    () => (searchTerm ? { sortKey, archived, searchTerm } : { sortKey, archived }),
    [sortKey, archived, searchTerm],
  );
  const threads = useThreads(filters);
  const info = useAppInfo();
  const status = useIngestStatus();
  const progress = status.data?.progress;
  const busy = isIngestBusy(progress);

  const items = useMemo(() => threads.data?.pages.flatMap((p) => p.items) ?? [], [threads.data]);
  // Keep showing the selected thread's latest data; it stays visible even when a filter hides its row.
  const selectedThread = (selected && items.find((t) => t.id === selected.id)) ?? selected;

  const onSelect = useCallback((thread: Thread) => setSelected(thread), []);
  const onOpen = useCallback((thread: Thread) => {
    setSelected(thread);
    detailRef.current?.focus();
  }, []);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = threads;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const countLabel = threads.data
    ? `${formatNumber(items.length)}${hasNextPage ? '+' : ''} ${items.length === 1 && !hasNextPage ? 'thread' : 'threads'}`
    : '';

  let body;
  if (threads.isPending) {
    body = <ThreadsLoading />;
  } else if (threads.isError && items.length === 0) {
    body = <ThreadsError error={threads.error} onRetry={() => void threads.refetch()} />;
  } else if (items.length === 0) {
    body = busy ? (
      <ThreadsLoading />
    ) : (
      <ThreadsEmpty
        info={info.data}
        status={status.data}
        searchTerm={searchTerm}
        archived={archived}
        onClearSearch={() => setSearch('')}
      />
    );
  } else {
    body = (
      <ThreadList
        ref={listRef}
        items={items}
        selectedId={selectedThread?.id ?? null}
        onSelect={onSelect}
        onOpen={onOpen}
        hasNextPage={hasNextPage}
        isFetchingNextPage={isFetchingNextPage}
        fetchNextPage={loadMore}
      />
    );
  }

  return (
    <div className="threads-page" data-testid="threads-page">
      <SplitPane
        storageKey="threadscope.threads.detailWidth"
        defaultSide={440}
        main={
          <div className="list-pane">
            <ThreadsToolbar
              searchRef={searchRef}
              search={search}
              onSearch={setSearch}
              onLeaveSearch={() => listRef.current?.focus()}
              sortKey={sortKey}
              onSortKey={setSortKey}
              archived={archived}
              onArchived={setArchived}
              countLabel={countLabel}
            />
            {busy && progress && <IngestProgressBar progress={progress} />}
            {threads.isError && items.length > 0 && (
              <div className="banner banner--error" role="alert" data-testid="threads-refresh-error">
                Could not refresh: {threads.error.message}
              </div>
            )}
            <div className={`list-pane__body${threads.isPlaceholderData ? ' is-stale' : ''}`}>{body}</div>
          </div>
        }
        side={<ThreadDetail ref={detailRef} thread={selectedThread} />}
      />
    </div>
  );
}
