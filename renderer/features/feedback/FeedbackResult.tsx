import type { FeedbackRecord } from '../../../preload/contract/index.ts';
import { CopyButton } from './CopyButton.tsx';
import { formatBytes } from './feedback-format.ts';
import { RetryIcon } from './feedback-icons.tsx';
import { IssueText } from './IssueText.tsx';

interface ResultProps {
  record: FeedbackRecord;
  onRetry: () => void;
  retrying: boolean;
  retryError: string | null;
}

const HEADLINES: Record<FeedbackRecord['status'], string> = {
  sent: 'Feedback sent',
  saved: 'Saved locally',
  sending: 'Sending…',
  failed: 'Upload failed',
};

/** After Send: the feedback ID to quote, what the server said, or the error with Retry. */
export function FeedbackResult({ record, onRetry, retrying, retryError }: ResultProps) {
  const failed = record.status === 'failed';
  return (
    <div className="fb-result" data-testid="feedback-result" data-status={record.status}>
      <h3 className={`fb-result__headline is-${record.status}`} data-testid="feedback-result-status">
        {HEADLINES[record.status]}
      </h3>
      <dl className="fb-fields">
        <dt>Feedback ID</dt>
        <dd className="fb-id">
          <code className="fb-id__value" data-testid="feedback-result-id">
            {record.id}
          </code>
          <CopyButton text={record.id} what="feedback ID" testId="feedback-copy-id" />
        </dd>
        {record.remoteId && (
          <>
            <dt>Server’s ID</dt>
            <dd className="mono" data-testid="feedback-remote-id">
              {record.remoteId}
            </dd>
          </>
        )}
        <dt>Size</dt>
        <dd>
          {formatBytes(record.totalBytes)} in {record.parts.length}{' '}
          {record.parts.length === 1 ? 'part' : 'parts'}
        </dd>
        <dt>Local copy</dt>
        <dd className="mono fb-path">{record.path}</dd>
      </dl>
      {record.status === 'sent' && (
        <p className="fb-muted">Quote the feedback ID when you talk to the maintainers about it.</p>
      )}
      {failed && (
        <div className="fb-alert fb-alert--error" role="alert" data-testid="feedback-result-error">
          <div>
            <div className="fb-alert__title">{record.error ?? 'The upload failed.'}</div>
            <div>The bundle is kept: retry now, or later from the Feedback page.</div>
            {retryError && <div>Retry failed: {retryError}</div>}
          </div>
          <button
            type="button"
            className="fb-button"
            onClick={onRetry}
            disabled={retrying}
            aria-busy={retrying}
            data-testid="feedback-retry"
          >
            <RetryIcon />
            {retrying ? 'Retrying…' : 'Retry'}
          </button>
        </div>
      )}
      {record.issueText && <IssueText text={record.issueText} />}
    </div>
  );
}
