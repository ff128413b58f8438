import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { call } from './client.ts';
import { queryKeys, type ThreadFilters } from './query-keys.ts';

const PAGE_SIZE = 100;

/** Keyset-paged thread list; the previous result stays on screen while new filters load. */
export function useThreads(filters: ThreadFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.threads.list(filters),
    queryFn: ({ pageParam }) => call('threads:list', { ...filters, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/**
 * Distinct values for the filter menus. Each call scans the thread table, so mount this only where a menu
 * is open: a closed menu has no observer, and the `threads:changed` invalidations then cost nothing.
 */
export function useThreadFacets(archived: boolean) {
  return useQuery({
    queryKey: queryKeys.threads.facets(archived),
    queryFn: () => call('threads:facets', { archived }),
    staleTime: 5_000,
  });
}
