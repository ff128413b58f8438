import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { MemoriesSettingsPatch } from '../../preload/contract/index.ts';
import { call, onEvent } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** While a run is on, status is also polled this often, in case an event is missed. */
const RUNNING_POLL_MS = 2_000;
/** `memories:changed` arrives in bursts (a phase-1 run finalises up to 8 jobs at once): one refetch each. */
const INVALIDATE_EVERY_MS = 250;

/**
 * Refetches whatever memories data is on screen (status, jobs, outputs, files, a thread's output) when
 * main says the pipeline moved or its data changed. Mount where memories are shown.
 */
export function useMemoriesLive(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = onEvent('memories:changed', () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: queryKeys.memories.all });
      }, INVALIDATE_EVERY_MS);
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [queryClient]);
}

export function useMemoriesStatus() {
  return useQuery({
    queryKey: queryKeys.memories.status,
    queryFn: () => call('memories:status', {}),
    refetchInterval: (query) => (query.state.data?.running ? RUNNING_POLL_MS : false),
  });
}

/** Every memory job; `poll` (while a run is on) also refetches every 2 s, in case an event is missed. */
export function useMemoryJobs(poll = false) {
  return useQuery({
    queryKey: queryKeys.memories.jobs,
    queryFn: () => call('memories:jobs', {}),
    refetchInterval: poll ? RUNNING_POLL_MS : false,
  });
}

export function useMemoryOutputs() {
  return useQuery({
    queryKey: queryKeys.memories.outputs,
    queryFn: () => call('memories:outputs', { limit: 500 }),
  });
}

/** A thread's stage-1 output (null when none) and its memory mode. */
export function useMemoryOutput(threadId: string | null) {
  return useQuery({
    queryKey: queryKeys.memories.output(threadId ?? ''),
    queryFn: () => call('memories:output', { threadId: threadId ?? '' }),
    enabled: threadId !== null,
  });
}

export function useMemoryFiles() {
  return useQuery({
    queryKey: queryKeys.memories.files,
    queryFn: () => call('memories:files', {}),
  });
}

/** A file's text (at most 2 MB; main refuses bigger ones with a message). */
export function useMemoryFile(path: string | null) {
  return useQuery({
    queryKey: queryKeys.memories.file(path ?? ''),
    queryFn: () => call('memories:readFile', { path: path ?? '' }),
    enabled: path !== null,
  });
}

/** After any action: everything memories-related may have changed. */
function useMemoriesWritten() {
  const queryClient = useQueryClient();
  return (): void => void queryClient.invalidateQueries({ queryKey: queryKeys.memories.all });
}

export function useRunMemories() {
  const written = useMemoriesWritten();
  return useMutation({ mutationFn: () => call('memories:run', {}), onSuccess: written });
}

export function useCancelMemories() {
  const written = useMemoriesWritten();
  return useMutation({ mutationFn: () => call('memories:cancel', {}), onSuccess: written });
}

export function useDropMemories() {
  const written = useMemoriesWritten();
  return useMutation({ mutationFn: () => call('memories:drop', {}), onSuccess: written });
}

/** Fresh start also turns enabled threads' memory mode to disabled: thread details refetch too. */
export function useResetMemories() {
  const queryClient = useQueryClient();
  const written = useMemoriesWritten();
  return useMutation({
    mutationFn: () => call('memories:reset', {}),
    onSuccess: () => {
      written();
      void queryClient.invalidateQueries({ queryKey: queryKeys.threads.all });
    },
  });
}

export function useSetThreadMemoryMode() {
  const queryClient = useQueryClient();
  const written = useMemoriesWritten();
  return useMutation({
    mutationFn: (input: { threadId: string; mode: 'enabled' | 'disabled' }) =>
      call('memories:setThreadMode', input),
    onSuccess: ({ threadId }) => {
      written();
      void queryClient.invalidateQueries({ queryKey: queryKeys.threads.detail(threadId) });
    },
  });
}

export function useUpdateMemoriesSettings() {
  const written = useMemoriesWritten();
  return useMutation({
    mutationFn: (patch: MemoriesSettingsPatch) => call('memories:updateSettings', patch),
    onSuccess: written,
  });
}
