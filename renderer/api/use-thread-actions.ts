import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Thread, ThreadExport, UpdateMetadataInput } from '../../preload/contract/index.ts';
import { call } from './client.ts';
import { queryKeys } from './query-keys.ts';
import { useAppInfo } from './use-app-status.ts';

/**
 * The latest stored state of a thread, starting from the copy the caller already has (a list row),
 * so e.g. `archived` flips at once even when the thread left the list being shown.
 */
export function useFreshThread<T extends Thread | null>(thread: T): T {
  const id = thread?.id ?? '';
  const q = useQuery({
    queryKey: queryKeys.threads.detail(id),
    queryFn: () => call('threads:get', { id }),
    placeholderData: thread ?? undefined,
    enabled: thread !== null,
    staleTime: 2_000,
  });
  return (thread === null ? null : (q.data ?? thread)) as T;
}

/** Writes the answer into the thread's cache entry and refreshes every list that may show it. */
function useThreadWritten() {
  const queryClient = useQueryClient();
  return (thread: Thread): void => {
    queryClient.setQueryData(queryKeys.threads.detail(thread.id), thread);
    void queryClient.invalidateQueries({ queryKey: queryKeys.threads.all });
    void queryClient.invalidateQueries({ queryKey: queryKeys.ingest.all });
  };
}

/** Archive (`archive: true`) or unarchive a thread; each is the other's undo. */
export function useArchiveThread() {
  const written = useThreadWritten();
  return useMutation({
    mutationFn: ({ id, archive }: { id: string; archive: boolean }) =>
      call(archive ? 'threads:archive' : 'threads:unarchive', { id }),
    onSuccess: written,
  });
}

/** Patch git sha / branch / origin: omitted = keep, null = clear. */
export function useUpdateThreadMetadata() {
  const written = useThreadWritten();
  return useMutation({
    mutationFn: (input: UpdateMetadataInput) => call('threads:updateMetadata', input),
    onSuccess: written,
  });
}

export type ExportOutcome =
  | { kind: 'saved'; path: string }
  | { kind: 'cancelled' }
  | { kind: 'downloaded'; fileName: string; truncated: boolean };

function download({ fileName, markdown }: ThreadExport): void {
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Desktop: a native save dialog in main. In a browser (serve mode): a download of the Markdown. */
export function useExportThread() {
  const info = useAppInfo();
  return useMutation({
    mutationFn: async (id: string): Promise<ExportOutcome> => {
      if (info.data?.shell === 'electron') {
        const { path } = await call('threads:saveExport', { id });
        return path ? { kind: 'saved', path } : { kind: 'cancelled' };
      }
      const out = await call('threads:exportMarkdown', { id });
      download(out);
      return { kind: 'downloaded', fileName: out.fileName, truncated: out.truncated };
    },
  });
}
