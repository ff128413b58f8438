import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import type { Thread } from '../../../preload/contract/index.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { isIngestBusy, useAppInfo, useIngestStatus } from '../../api/use-app-status.ts';
import { useThreads } from '../../api/use-threads.ts';
import { SplitPane } from '../../components/SplitPane.tsx';
import { SearchResults } from '../search/SearchResults.tsx';
import { FilterBar } from './FilterBar.tsx';
import { groupThreads } from './group-threads.ts';
import { IngestProgressBar } from './IngestProgressBar.tsx';
import { ThreadDetail } from './ThreadDetail.tsx';
import { ThreadList, type ThreadListHandle } from './ThreadList.tsx';
import { ThreadsEmpty, ThreadsError, ThreadsLoading } from './ThreadsStates.tsx';
import { ThreadsToolbar } from './ThreadsToolbar.tsx';
import { clearFilters, dayKey, hasFilters, listFilters, startOfDay } from './thread-filters.ts';
import { formatNumber } from './thread-format.ts';
import { useDebouncedValue } from './use-debounced-value.ts';
import { useNow } from './use-now.ts';
import { useThreadsView } from './use-threads-view.ts';

const SEARCH_DEBOUNCE_MS = 150;

/** The selection outlives the page, so coming back from a thread shows where one was. */
let rememberedSelection: Thread | null = null;

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function ThreadsPage() {
  const [view, setView] = useThreadsView();
  const [, navigate] = useLocation();
  const [search, setSearch] = useState(view.q);
  const [selected, setSelected] = useState<Thread | null>(rememberedSelection);
  const searchTerm = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const content = view.scope === 'content';

  // The typed text goes to the URL once it settles; a link or Back brings a different one in.
  useEffect(() => {
    if (searchTerm !== view.q) setView({ q: searchTerm });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the debounced text drives this write
  }, [searchTerm]);
  const [lastUrlQ, setLastUrlQ] = useState(view.q);
  if (view.q !== lastUrlQ) {
    setLastUrlQ(view.q);
    if (view.q !== search.trim()) setSearch(view.q);
  }

  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<ThreadListHandle>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const nowMs = useNow();
  // Day-granular "now": date presets and day headers change at midnight, not every minute.
  const today = dayKey(new Date(nowMs));
  const todayStart = useMemo(() => startOfDay(new Date(`${today}T12:00:00`)), [today]);

  const filters = useMemo(
    () => listFilters(view, content ? '' : searchTerm, todayStart),
    [view, content, searchTerm, todayStart],
  );
  const resetKey = JSON.stringify(filters);
  const threads = useThreads(filters);
  const info = useAppInfo();
  const status = useIngestStatus();
  const progress = status.data?.progress;
  const busy = isIngestBusy(progress);

  // Events sent before the event stream connected are lost: a list fetched while the first backfill ran
  // could stay empty. A status newer than the list with a different thread count refreshes it.
  const queryClient = useQueryClient();
  const threadCount = status.data?.threadCount;
  const seenCount = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (threadCount === undefined || seenCount.current === threadCount) return;
    seenCount.current = threadCount;
    if (status.dataUpdatedAt > threads.dataUpdatedAt) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.threads.lists });
    }
  }, [threadCount, status.dataUpdatedAt, threads.dataUpdatedAt, queryClient]);

  const items = useMemo(() => threads.data?.pages.flatMap((p) => p.items) ?? [], [threads.data]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = threads;
  const rows = useMemo(
    () => groupThreads(items, view.group, view.sortKey, todayStart, !hasNextPage),
    [items, view.group, view.sortKey, todayStart, hasNextPage],
  );

  // Keep showing the selected thread's latest data; it stays visible even when a filter hides its row.
  const selectedThread = (selected && items.find((t) => t.id === selected.id)) ?? selected;
  const onSelect = useCallback((thread: Thread) => {
    rememberedSelection = thread;
    setSelected(thread);
  }, []);
  const onOpen = useCallback(
    (thread: Thread) => {
      rememberedSelection = thread;
      navigate(`/thread/${encodeURIComponent(thread.id)}`);
    },
    [navigate],
  );
  const onOpenResult = useCallback(
    (threadId: string, position: number | null) => {
      const q = new URLSearchParams();
      if (position !== null) q.set('at', String(position));
      if (search.trim()) q.set('q', search.trim());
      const query = q.toString();
      navigate(`/thread/${encodeURIComponent(threadId)}${query ? `?${query}` : ''}`);
    },
    [navigate, search],
  );
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

  const filtered = hasFilters(view);
  const countLabel = threads.data
    ? `${formatNumber(items.length)}${hasNextPage ? '+' : ''} ${items.length === 1 && !hasNextPage ? 'thread' : 'threads'}`
    : '';

  let body;
  if (content) {
    // SearchResults debounces the query itself.
    body = <SearchResults query={search} onOpen={onOpenResult} />;
  } else if (threads.isPending) {
    body = <ThreadsLoading />;
  } else if (threads.isError && items.length === 0) {
    body = <ThreadsError error={threads.error} onRetry={() => void threads.refetch()} />;
  } else if (items.length === 0) {
    body =
      busy && !filtered && !searchTerm ? (
        <ThreadsLoading />
      ) : (
        <ThreadsEmpty
          info={info.data}
          status={status.data}
          searchTerm={searchTerm}
          archived={view.archived}
          filtered={filtered}
          onClearSearch={() => setSearch('')}
          onClearFilters={() => setView(clearFilters)}
        />
      );
  } else {
    body = (
      <ThreadList
        ref={listRef}
        rows={rows}
        selectedId={selectedThread?.id ?? null}
        onSelect={onSelect}
        onOpen={onOpen}
        hasNextPage={hasNextPage}
        isFetchingNextPage={isFetchingNextPage}
        fetchNextPage={loadMore}
        resetKey={`${resetKey}|${view.group}`}
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
              scope={view.scope}
              onScope={(scope) => setView({ scope })}
              onLeaveSearch={() =>
                content
                  ? bodyRef.current?.querySelector<HTMLElement>('[data-search-item]')?.focus()
                  : listRef.current?.focus()
              }
              sortKey={view.sortKey}
              onSortKey={(sortKey) => setView({ sortKey })}
              archived={view.archived}
              onArchived={(archived) => setView({ archived })}
              countLabel={content ? '' : countLabel}
            />
            {!content && <FilterBar view={view} onView={setView} />}
            {busy && progress && <IngestProgressBar progress={progress} />}
            {threads.isError && items.length > 0 && (
              <div className="banner banner--error" role="alert" data-testid="threads-refresh-error">
                Could not refresh: {threads.error.message}
              </div>
            )}
            <div
              ref={bodyRef}
              className={`list-pane__body${threads.isPlaceholderData && !content ? ' is-stale' : ''}`}
            >
              {body}
            </div>
          </div>
        }
        side={<ThreadDetail thread={selectedThread} onOpen={onOpen} />}
      />
    </div>
  );
}
