import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
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
