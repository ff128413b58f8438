import { keepPreviousData, useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { SearchProgress } from '../../preload/contract/index.ts';
import { call, onEvent } from './client.ts';
import { queryKeys } from './query-keys.ts';

const PAGE_THREADS = 20;
/** Typing pause before a query runs; each keystroke after that refines the last (prefix) word. */
export const SEARCH_DEBOUNCE_MS = 180;
/** While the index builds, results are refreshed at most this often. */
const REFRESH_WHILE_BUILDING_MS = 3000;

function useDebounced(value: string, delayMs: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/**
 * Content search, debounced and paged by thread (20 per page). The last word matches as a prefix while
 * typing. The previous results stay on screen while the next query runs.
 */
export function useContentSearch(query: string) {
  const debounced = useDebounced(query, SEARCH_DEBOUNCE_MS);
  const result = useInfiniteQuery({
    queryKey: queryKeys.search.query(debounced),
    queryFn: ({ pageParam }) =>
      call('search:query', { query: debounced, limit: PAGE_THREADS, cursor: pageParam, prefixLast: true }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: debounced.trim() !== '',
  });
  return { ...result, debouncedQuery: debounced, settling: debounced !== query };
}

/** Index coverage, patched live by `search:progress` events (see onSearchProgress). */
export function useSearchStatus() {
  return useQuery({
    queryKey: queryKeys.search.status,
    queryFn: () => call('search:status', {}),
    refetchInterval: (q) =>
      (q.state.data as SearchProgress | undefined)?.state === 'building' ? 2000 : false,
  });
}

/** Wires `search:progress` into the cache: the status follows live, results refresh as coverage grows. */
export function onSearchProgress(queryClient: QueryClient): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const refresh = (): void => {
    last = Date.now();
    void queryClient.invalidateQueries({ queryKey: ['search', 'query'] });
  };
  const off = onEvent('search:progress', (progress) => {
    queryClient.setQueryData(queryKeys.search.status, progress);
    if (progress.state === 'idle') {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      refresh();
    } else if (timer === null) {
      timer = setTimeout(
        () => {
          timer = null;
          refresh();
        },
        Math.max(0, REFRESH_WHILE_BUILDING_MS - (Date.now() - last)),
      );
    }
  });
  return () => {
    off();
    if (timer !== null) clearTimeout(timer);
  };
}
