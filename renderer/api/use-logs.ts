import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type {
  EventPayload,
  LogFilter,
  LogSource,
  LogSourceStatus,
  LogsPage,
  LogsTail,
  LogsTailInput,
} from '../../preload/contract/index.ts';
import { call, onEvent } from './client.ts';
import { queryKeys } from './query-keys.ts';

export const LOG_PAGE_SIZE = 200;

/** A page of rows; the first one also carries the source's max id read just before it (the tail's start). */
export interface LogRowsPage extends LogsPage {
  startMaxId: number | null;
}

/**
 * Both sources' status. Polled while one is unavailable, so Codex's DB is picked up once it appears;
 * otherwise refreshed by the page as rows arrive.
 */
export function useLogSources() {
  return useQuery({
    queryKey: queryKeys.logs.sources,
    queryFn: () => call('logs:sources', {}),
    refetchInterval: (q) =>
      (q.state.data as LogSourceStatus[] | undefined)?.some((s) => !s.available) ? 5_000 : false,
  });
}

/**
 * Matching rows, newest first, paged by cursor. The first page reads the source's max id before it
 * queries, so a live tail from that id misses nothing (rows committed in between come twice; the table
 * keeps each id once). Our own logs are flushed first: what the app just did is on screen. Never
 * refetched behind the page's back: the live tail keeps it current, and a refetch of every loaded
 * page would be wasted work.
 */
export function useLogRows(source: LogSource, filter: LogFilter, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: queryKeys.logs.query(source, filter),
    queryFn: async ({ pageParam }): Promise<LogRowsPage> => {
      if (pageParam !== null) {
        const page = await call('logs:query', { source, filter, cursor: pageParam, limit: LOG_PAGE_SIZE });
        return { ...page, startMaxId: null };
      }
      if (source === 'app') await call('logs:flush', {});
      const status = await call('logs:status', { source });
      const page = await call('logs:query', { source, filter, limit: LOG_PAGE_SIZE });
      return { ...page, startMaxId: status.maxId };
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    enabled,
  });
}

/** Rows per time bucket and level; the previous chart stays while the next one loads. */
export function useLogHistogram(source: LogSource, filter: LogFilter, buckets: number, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.logs.histogram(source, filter, buckets),
    queryFn: async () => {
      // As for the rows: our own logs are flushed first, or the chart can count an empty table while the
      // rows beside it (queried after their flush) show what the app just did.
      if (source === 'app') await call('logs:flush', {});
      return call('logs:histogram', { source, filter, buckets });
    },
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    enabled,
  });
}

/** One `logs:tail` page (rows after an id, oldest first). */
export function fetchLogTail(input: LogsTailInput): Promise<LogsTail> {
  return call('logs:tail', input);
}

/** One source's status now (availability, max id). */
export function fetchLogStatus(source: LogSource): Promise<LogSourceStatus> {
  return call('logs:status', { source });
}

/** `logs:appended` events: a source's new max id, coalesced by main. */
export function onLogsAppended(listener: (payload: EventPayload<'logs:appended'>) => void): () => void {
  return onEvent('logs:appended', listener);
}
