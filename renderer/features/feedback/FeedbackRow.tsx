import { useState } from 'react';
import type { MouseEvent } from 'react';
import type { FeedbackRecord } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useRemoveFeedback, useRetryFeedback, useRevealFeedback } from '../../api/use-feedback.ts';
import { useToast } from '../../components/Toast.tsx';
import { exactTime, relativeTime } from '../threads/thread-format.ts';
import { CopyButton } from './CopyButton.tsx';
import { classificationLabel, formatBytes, msToSeconds, shortId, statusLabel } from './feedback-format.ts';
import { ChevronIcon, FolderIcon, RetryIcon, TrashIcon } from './feedback-icons.tsx';
import { FeedbackRowDetail } from './FeedbackRowDetail.tsx';

/** One bundle in the history: a dense row that expands into its parts, error and issue text. */
export function FeedbackRow({ record: r, now }: { record: FeedbackRecord; now: number }) {
  const toast = useToast();
  const retry = useRetryFeedback();
  const remove = useRemoveFeedback();
  const reveal = useRevealFeedback();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [revealed, setRevealed] = useState(false);
  const detailId = `fb-row-${r.id}`;
  const created = msToSeconds(r.createdAt);

  const doRetry = (): void =>
    retry.mutate(r.id, {
      onSuccess: (next) =>
        toast.show({
          tone: next.status === 'failed' ? 'error' : 'info',
          message:
            next.status === 'failed'
              ? `Retry failed: ${next.error ?? 'unknown error'}`
              : `${shortId(next.id)}: ${statusLabel(next.status).toLowerCase()}`,
        }),
      onError: (err) => toast.show({ tone: 'error', message: `Retry failed: ${errorMessage(err)}` }),
    });
  const doReveal = (): void =>
    reveal.mutate(r.id, {
      onSuccess: ({ shown }) => {
        if (shown) toast.show({ message: 'Opened the bundle’s folder', durationMs: 3_000 });
        else {
          // No file manager to open (serve mode): show the path where it can be copied.
          setOpen(true);
          setRevealed(true);
        }
      },
      onError: (err) => toast.show({ tone: 'error', message: `Could not reveal: ${errorMessage(err)}` }),
    });
  const doRemove = (): void =>
    remove.mutate(r.id, {
      onSuccess: () => toast.show({ message: `Deleted feedback ${shortId(r.id)}`, durationMs: 4_000 }),
      onError: (err) => toast.show({ tone: 'error', message: `Could not delete: ${errorMessage(err)}` }),
    });
  // A click anywhere on the row toggles it, except on its own links and buttons.
  const onRowClick = (e: MouseEvent<HTMLDivElement>): void => {
    if (e.target instanceof Element && e.target.closest('a, button, input')) return;
    setOpen((o) => !o);
  };

  return (
    <div
      className={`fb-row-group${open ? ' is-open' : ''}`}
      role="rowgroup"
      data-testid="feedback-row"
      data-id={r.id}
      data-status={r.status}
    >
      <div className="fb-row" role="row" onClick={onRowClick}>
        <span role="cell">
          <button
            type="button"
            className="fb-button fb-button--quiet fb-button--icon"
            aria-expanded={open}
            aria-controls={detailId}
            aria-label={open ? 'Collapse' : 'Expand'}
            onClick={() => setOpen((o) => !o)}
            data-testid="feedback-row-toggle"
          >
            <ChevronIcon className={`fb-chevron${open ? ' is-open' : ''}`} />
          </button>
        </span>
        <span role="cell" className="fb-row__id">
          <code title={r.id} data-testid="feedback-row-id">
            {shortId(r.id)}
          </code>
          <CopyButton text={r.id} what="feedback ID" compact />
        </span>
        <span role="cell" className="fb-row__date" title={exactTime(created)}>
          {relativeTime(created, now)}
        </span>
        <span role="cell" className="fb-row__about">
          {r.threadId ? (
            <a href={`#/thread/${r.threadId}`} title={r.threadId} data-testid="feedback-row-thread">
              {r.threadTitle?.trim() || shortId(r.threadId)}
            </a>
          ) : (
            <span className="fb-muted">About the app</span>
          )}
        </span>
        <span role="cell">{classificationLabel(r.classification)}</span>
        <span role="cell">
          <span
            className={`fb-status fb-status--${r.status}`}
            title={r.error ?? undefined}
            data-testid="feedback-row-status"
          >
            {statusLabel(r.status)}
          </span>
        </span>
        <span role="cell" className="fb-table__num">
          {formatBytes(r.totalBytes)}
        </span>
        <span role="cell" className="fb-row__actions">
          {(r.status === 'failed' || r.status === 'saved') && (
            <button
              type="button"
              className="fb-button fb-button--quiet fb-button--icon"
              onClick={doRetry}
              disabled={retry.isPending}
              aria-busy={retry.isPending}
              aria-label="Retry the upload"
              title={r.status === 'saved' ? 'Upload to the configured endpoint' : 'Retry the upload'}
              data-testid="feedback-row-retry"
            >
              <RetryIcon />
            </button>
          )}
          <button
            type="button"
            className="fb-button fb-button--quiet fb-button--icon"
            onClick={doReveal}
            disabled={reveal.isPending}
            aria-label="Reveal the bundle's folder"
            title="Reveal the bundle’s folder"
            data-testid="feedback-row-reveal"
          >
            <FolderIcon />
          </button>
          <button
            type="button"
            className="fb-button fb-button--quiet fb-button--icon fb-button--danger"
            onClick={() => setConfirming(true)}
            disabled={remove.isPending}
            aria-label="Delete the local copy"
            title="Delete the local copy"
            data-testid="feedback-row-delete"
          >
            <TrashIcon />
          </button>
        </span>
      </div>
      {confirming && (
        <div
          className="fb-confirm"
          role="alertdialog"
          aria-label="Confirm delete"
          data-testid="feedback-confirm"
        >
          <span>
            Delete the local copy of <code>{shortId(r.id)}</code>?{' '}
            {r.status === 'sent' ? 'What was sent stays sent.' : 'It was never uploaded: this loses it.'}
          </span>
          <button type="button" className="fb-button" onClick={() => setConfirming(false)} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="fb-button fb-button--danger-solid"
            onClick={() => {
              setConfirming(false);
              doRemove();
            }}
            data-testid="feedback-confirm-delete"
          >
            Delete
          </button>
        </div>
      )}
      {open && <FeedbackRowDetail id={detailId} record={r} now={now} highlightPath={revealed} />}
    </div>
  );
}
