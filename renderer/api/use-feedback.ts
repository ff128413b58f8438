import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { FeedbackDraftInput, FeedbackRecord } from '../../preload/contract/index.ts';
import { call, onEvent } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** Where feedback goes: the configured endpoint (shown without its key), or saved locally. */
export function useFeedbackEndpoint() {
  return useQuery({
    queryKey: queryKeys.feedback.endpoint,
    queryFn: () => call('feedback:endpoint', {}),
    staleTime: 60_000,
  });
}

/** Every saved bundle, newest first; refetched whenever main says one was saved, sent, failed or removed. */
export function useFeedbackList() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onEvent('feedback:changed', () => {
        void queryClient.invalidateQueries({ queryKey: queryKeys.feedback.list });
      }),
    [queryClient],
  );
  return useQuery({
    queryKey: queryKeys.feedback.list,
    // Refetched on mount too: events that arrived while no history was on screen were not listened to.
    queryFn: () => call('feedback:list', {}),
  });
}

/** Writes a record into the cached history at once (the pushed event refetches it anyway). */
function useRecordWritten() {
  const queryClient = useQueryClient();
  return (record: FeedbackRecord): void => {
    queryClient.setQueryData<FeedbackRecord[]>(queryKeys.feedback.list, (old) =>
      old
        ? [record, ...old.filter((r) => r.id !== record.id)].sort((a, b) => b.createdAt - a.createdAt)
        : old,
    );
    void queryClient.invalidateQueries({ queryKey: queryKeys.feedback.list });
  };
}

/** Builds a bundle in main and returns exactly what would be sent, redacted, with sizes. */
export function useFeedbackDraft() {
  return useMutation({ mutationFn: (input: FeedbackDraftInput) => call('feedback:draft', input) });
}

/** The next page of a draft part's redacted text. */
export function fetchPartText(draftId: string, partId: string, offset: number) {
  return call('feedback:partText', { draftId, partId, offset });
}

export function useSendFeedback() {
  const written = useRecordWritten();
  return useMutation({
    mutationFn: ({ draftId, exclude }: { draftId: string; exclude: string[] }) =>
      call('feedback:send', { draftId, exclude }),
    onSuccess: written,
  });
}

export function useRetryFeedback() {
  const written = useRecordWritten();
  return useMutation({
    mutationFn: (id: string) => call('feedback:retry', { id }),
    onSuccess: written,
  });
}

export function useRemoveFeedback() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('feedback:remove', { id }),
    onSuccess: ({ id }) => {
      queryClient.setQueryData<FeedbackRecord[]>(queryKeys.feedback.list, (old) =>
        old?.filter((r) => r.id !== id),
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.feedback.list });
    },
  });
}

/** Desktop: opens the bundle's folder in the file manager; serve: only returns its path (`shown` false). */
export function useRevealFeedback() {
  return useMutation({ mutationFn: (id: string) => call('feedback:reveal', { id }) });
}
