import { useEffect, useState } from 'react';
import { useSearchParams } from 'wouter';
import { errorMessage } from '../../api/client.ts';
import { useFeedbackEndpoint, useFeedbackList } from '../../api/use-feedback.ts';
import { useDelayedFlag } from '../logs/use-timing.ts';
import { useNow } from '../threads/use-now.ts';
import { FeedbackDestination } from './FeedbackDestination.tsx';
import { FeedbackDialog } from './FeedbackDialog.tsx';
import { FeedbackRow } from './FeedbackRow.tsx';
import { PlusIcon } from './feedback-icons.tsx';

/**
 * `#/feedback`: every saved bundle with its ID and status, and "New feedback" about the app itself.
 * `#/feedback?new=1` (the desktop Help menu) opens the dialog at once.
 */
export function FeedbackPage() {
  const list = useFeedbackList();
  const endpoint = useFeedbackEndpoint();
  const [params, setParams] = useSearchParams();
  const [composing, setComposing] = useState(false);
  const wantsNew = params.get('new') === '1';
  // Adjusted while rendering (not in an effect): the dialog opens in the same paint as the page.
  if (wantsNew && !composing) setComposing(true);
  useEffect(() => {
    if (!wantsNew) return;
    setParams(
      (p) => {
        p.delete('new');
        return p;
      },
      { replace: true },
    );
  }, [wantsNew, setParams]);
  const now = useNow();
  const slow = useDelayedFlag(list.isPending, 300);
  const records = list.data ?? [];
  const newButton = (testId: string) => (
    <button
      type="button"
      className="fb-button fb-button--primary"
      onClick={() => setComposing(true)}
      data-testid={testId}
    >
      <PlusIcon />
      New feedback
    </button>
  );

  let body;
  if (list.isError) {
    body = (
      <div className="state state--error" role="alert">
        <p className="state__title">Could not read the feedback history</p>
        <p className="state__message">{errorMessage(list.error)}</p>
        <button type="button" className="fb-button" onClick={() => void list.refetch()}>
          Try again
        </button>
      </div>
    );
  } else if (list.isPending) {
    body = slow ? (
      <div className="state state--loading" aria-label="Loading">
        {[0, 1, 2].map((i) => (
          <div key={i} className="skeleton-row">
            <div className="skeleton" />
          </div>
        ))}
      </div>
    ) : null;
  } else if (records.length === 0) {
    body = (
      <div className="state" data-testid="feedback-empty">
        <p className="state__title">No feedback sent yet</p>
        <p>
          Report a bug or a result about a thread with <strong>Send feedback…</strong> in its side panel, or
          about Threadscope itself with <strong>New feedback</strong>. You choose what to attach (logs, the
          rollout, files), read a preview of exactly what leaves with secrets redacted, then send it.
        </p>
        <p>Every bundle is kept here with its ID, so you can quote it, retry it or delete it.</p>
        {newButton('feedback-empty-new')}
      </div>
    );
  } else {
    body = (
      <div className="fb-table" role="table" aria-label="Feedback history" data-testid="feedback-history">
        <div className="fb-table__head" role="row">
          <span role="columnheader" aria-label="Expand" />
          <span role="columnheader">ID</span>
          <span role="columnheader">Date</span>
          <span role="columnheader">About</span>
          <span role="columnheader">Kind</span>
          <span role="columnheader">Status</span>
          <span role="columnheader" className="fb-table__num">
            Size
          </span>
          <span role="columnheader" aria-label="Actions" />
        </div>
        {records.map((r) => (
          <FeedbackRow key={r.id} record={r} now={now} />
        ))}
      </div>
    );
  }

  return (
    <div className="fb-page" data-testid="feedback-page">
      <header className="toolbar">
        <div className="toolbar__title">
          <h1>Feedback</h1>
          <span className="toolbar__count" data-testid="feedback-count">
            {list.data ? `${records.length} ${records.length === 1 ? 'bundle' : 'bundles'}` : ''}
          </span>
        </div>
        {newButton('feedback-new')}
      </header>
      {endpoint.data && (
        <div className="fb-page__destination">
          <FeedbackDestination endpoint={endpoint.data} />
        </div>
      )}
      <div className="fb-page__body">{body}</div>
      <FeedbackDialog open={composing} onOpenChange={setComposing} about={null} />
    </div>
  );
}
