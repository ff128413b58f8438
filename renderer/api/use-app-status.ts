import { useQuery } from '@tanstack/react-query';
import type { IngestProgress, IngestStatus } from '../../preload/contract/index.ts';
import { call } from './client.ts';
import { queryKeys } from './query-keys.ts';

export function useAppInfo() {
  return useQuery({ queryKey: queryKeys.app.info, queryFn: () => call('app:info', {}), staleTime: Infinity });
}

export function isIngestBusy(progress: IngestProgress | undefined): boolean {
  return progress?.phase === 'discovering' || progress?.phase === 'ingesting';
}

/**
 * Backfill state and live progress. Progress events patch this query (see use-events.ts); while an
 * ingest runs it is also polled, so a dropped event stream cannot leave a stale bar behind.
 */
export function useIngestStatus() {
  return useQuery({
    queryKey: queryKeys.ingest.status,
    queryFn: () => call('ingest:status', {}),
    refetchInterval: (query) =>
      isIngestBusy((query.state.data as IngestStatus | undefined)?.progress) ? 1000 : false,
  });
}
