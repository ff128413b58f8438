import type { Thread } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useArchiveThread, useExportThread, useFreshThread } from '../../api/use-thread-actions.ts';
import { useToast } from '../../components/Toast.tsx';
import { SendFeedbackButton } from '../feedback/SendFeedbackButton.tsx';
import { ArchiveBoxIcon, CopyIcon, DownloadIcon, UnarchiveIcon } from './action-icons.tsx';
import { copyText } from './copy-text.ts';

/**
 * Archive / unarchive (with Undo in a toast), export as Markdown, copy the id or rollout path.
 * Archiving moves the rollout between `sessions/` and `archived_sessions/` exactly as Codex does.
 */
export function ThreadActions({ thread: given }: { thread: Thread }) {
  const thread = useFreshThread(given);
  const toast = useToast();
  const archive = useArchiveThread();
  const exporter = useExportThread();

  // mutateAsync, not mutate: the Undo in the toast must still report back if this pane has moved on.
  const move = (id: string, toArchive: boolean, isUndo = false): void => {
    archive.mutateAsync({ id, archive: toArchive }).then(
      (t) => {
        const where = t.archived ? 'archived_sessions/' : 'sessions/';
        toast.show({
          message: isUndo
            ? `Undone: the thread is back in ${where}`
            : `${t.archived ? 'Archived' : 'Unarchived'}: rollout moved to ${where}`,
          testId: isUndo ? 'undo-toast' : 'archive-toast',
          ...(isUndo ? {} : { action: { label: 'Undo', onAction: () => move(id, !toArchive, true) } }),
        });
      },
      (err: unknown) =>
        toast.show({
          tone: 'error',
          message: `Could not ${toArchive ? 'archive' : 'unarchive'}: ${errorMessage(err)}`,
        }),
    );
  };

  const doExport = (): void => {
    exporter.mutate(thread.id, {
      onSuccess: (r) => {
        if (r.kind === 'cancelled') return;
        toast.show({
          message:
            r.kind === 'saved'
              ? `Saved to ${r.path}`
              : `Downloaded ${r.fileName}${r.truncated ? ' (transcript truncated at the size cap)' : ''}`,
        });
      },
      onError: (err) => toast.show({ tone: 'error', message: `Export failed: ${errorMessage(err)}` }),
    });
  };

  const copy = (label: string, text: string): void => {
    copyText(text).then(
      () => toast.show({ message: `${label} copied`, durationMs: 3_000 }),
      (err: unknown) => toast.show({ tone: 'error', message: `Could not copy: ${errorMessage(err)}` }),
    );
  };

  const busy = archive.isPending;
  return (
    <div className="thread-actions" role="toolbar" aria-label="Thread actions" data-testid="thread-actions">
      <button
        type="button"
        className="thread-actions__button"
        onClick={() => move(thread.id, !thread.archived)}
        disabled={busy}
        aria-busy={busy}
        title={
          thread.archived
            ? 'Move the rollout back to sessions/YYYY/MM/DD/'
            : 'Move the rollout to archived_sessions/, as Codex does'
        }
        data-testid="archive-button"
      >
        {thread.archived ? <UnarchiveIcon /> : <ArchiveBoxIcon />}
        {busy ? (thread.archived ? 'Unarchiving…' : 'Archiving…') : thread.archived ? 'Unarchive' : 'Archive'}
      </button>
      <button
        type="button"
        className="thread-actions__button"
        onClick={doExport}
        disabled={exporter.isPending}
        aria-busy={exporter.isPending}
        title="Export as Markdown: title, metadata and transcript, home folders shortened to ~"
        data-testid="export-button"
      >
        <DownloadIcon />
        {exporter.isPending ? 'Exporting…' : 'Export .md'}
      </button>
      <button
        type="button"
        className="thread-actions__button"
        onClick={() => copy('Thread ID', thread.id)}
        aria-label="Copy thread ID"
        title={`Copy thread ID: ${thread.id}`}
        data-testid="copy-id-button"
      >
        <CopyIcon />
        ID
      </button>
      <button
        type="button"
        className="thread-actions__button"
        onClick={() => copy('Rollout path', thread.rolloutPath)}
        aria-label="Copy rollout path"
        title={`Copy rollout path: ${thread.rolloutPath}`}
        data-testid="copy-path-button"
      >
        <CopyIcon />
        Path
      </button>
      <SendFeedbackButton thread={thread} className="thread-actions__button" />
    </div>
  );
}
