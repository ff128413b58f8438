import type { FeedbackRecord } from '../../../preload/contract/index.ts';
import { exactTime, relativeTime } from '../threads/thread-format.ts';
import { CopyButton } from './CopyButton.tsx';
import { formatBytes, msToSeconds, partKindLabel } from './feedback-format.ts';
import { IssueText } from './IssueText.tsx';
import { RedactionBadges } from './RedactionBadges.tsx';

interface DetailProps {
  id: string;
  record: FeedbackRecord;
  now: number;
  /** Reveal was asked where no file manager can open: draw the eye to the folder path. */
  highlightPath: boolean;
}

/** An expanded history row: note, IDs, where it went, the folder, the error, the parts, the issue text. */
export function FeedbackRowDetail({ id, record: r, now, highlightPath }: DetailProps) {
  const attempted = r.attemptedAt === null ? null : msToSeconds(r.attemptedAt);
  return (
    <div
      id={id}
      className="fb-detail"
      role="region"
      aria-label="Bundle details"
      data-testid="feedback-row-detail"
    >
      {r.error && (
        <p className="fb-alert fb-alert--error" data-testid="feedback-row-error">
          {r.error}
        </p>
      )}
      <dl className="fb-fields">
        <dt>Feedback ID</dt>
        <dd className="fb-id">
          <code className="fb-id__value">{r.id}</code>
          <CopyButton text={r.id} what="feedback ID" />
        </dd>
        {r.remoteId && (
          <>
            <dt>Server’s ID</dt>
            <dd className="mono">{r.remoteId}</dd>
          </>
        )}
        <dt>Destination</dt>
        <dd>
          {r.endpoint.kind === 'none'
            ? 'Saved locally (no endpoint)'
            : (r.endpoint.display ?? r.endpoint.kind)}
        </dd>
        <dt>Attempts</dt>
        <dd>
          {r.attempts}
          {attempted !== null && (
            <span className="fb-muted" title={exactTime(attempted)}>
              {' '}
              · last {relativeTime(attempted, now)}
            </span>
          )}
        </dd>
        <dt>Folder</dt>
        <dd className={`fb-id${highlightPath ? ' is-highlighted' : ''}`} data-testid="feedback-row-path">
          <code className="fb-id__value">{r.path}</code>
          <CopyButton text={r.path} what="folder path" testId="feedback-copy-path" />
        </dd>
        {r.note && (
          <>
            <dt>Note</dt>
            <dd className="fb-note">{r.note}</dd>
          </>
        )}
      </dl>
      <h4 className="fb-label">Parts</h4>
      <ul className="fb-detail__parts">
        {r.parts.map((p) => (
          <li key={p.id} className="fb-detail__part" data-testid="feedback-row-part">
            <span className="mono fb-part__name">{p.name}</span>
            <span className="fb-part__kind">{partKindLabel(p.kind)}</span>
            <span className="fb-table__num">{formatBytes(p.bytes)}</span>
            <RedactionBadges counts={p.redactions} />
          </li>
        ))}
      </ul>
      {r.issueText && <IssueText text={r.issueText} />}
    </div>
  );
}
