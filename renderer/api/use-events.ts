import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { IngestProgress, IngestStatus } from '../../preload/contract/index.ts';
import { onEvent } from './client.ts';
import { onSearchProgress } from './use-search.ts';
import { queryKeys } from './query-keys.ts';
import { useIngestStatus } from './use-app-status.ts';

/** At most one refetch per window while a backfill streams `threads:changed` events. */
const INVALIDATE_EVERY_MS = 300;

/**
 * Turns main's push events into cache updates: thread changes invalidate the thread queries
 * (throttled), progress events patch the ingest status query so the progress bar moves live.
 * Mount once, near the root.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const invalidateThreads = (): void => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: queryKeys.threads.all });
        void queryClient.invalidateQueries({ queryKey: queryKeys.ingest.all });
      }, INVALIDATE_EVERY_MS);
    };

    const offChanged = onEvent('threads:changed', invalidateThreads);
    const offProgress = onEvent('ingest:progress', (progress) => {
      queryClient.setQueryData<IngestStatus>(queryKeys.ingest.status, (old) =>
        old ? { ...old, progress } : old,
      );
      if (progress.phase === 'watching' || progress.phase === 'idle') invalidateThreads();
    });
    const offSearch = onSearchProgress(queryClient);
    return () => {
      offSearch();
      offChanged();
      offProgress();
      if (timer !== null) clearTimeout(timer);
    };
  }, [queryClient]);
}

/** The latest ingest progress (live from events, polled while busy). */
export function useIngestProgress(): IngestProgress | undefined {
  return useIngestStatus().data?.progress;
}
