import type { FeedbackDraft } from '../../../preload/contract/index.ts';
import {
  bundleSize,
  formatBytes,
  overLimitMessage,
  redactionBadges,
  sumRedactions,
} from './feedback-format.ts';
import { FeedbackDestination } from './FeedbackDestination.tsx';
import { ShieldIcon, WarningIcon } from './feedback-icons.tsx';
import { FeedbackPartItem } from './FeedbackPartItem.tsx';

interface PreviewProps {
  draft: FeedbackDraft;
  excluded: ReadonlySet<string>;
  onExclude: (partId: string, excluded: boolean) => void;
}

/** Exactly what will be sent: every part after redaction, with sizes, against the size limit. */
export function FeedbackPreview({ draft, excluded, onExclude }: PreviewProps) {
  const size = bundleSize(draft, excluded);
  const over = overLimitMessage(size);
  const included = draft.parts.filter((p) => p.required || !excluded.has(p.id));
  const secrets = redactionBadges(sumRedactions(included.map((p) => p.redactions))).filter((b) => b.secret);
  const secretCount = secrets.reduce((n, b) => n + b.count, 0);
  const fill = Math.min(100, (size.bytes / Math.max(1, size.limit)) * 100);
  // Open the part the user most needs to check: the first with a secret redacted, else the report.
  const firstSecret = draft.parts.findIndex((p) => redactionBadges(p.redactions).some((b) => b.secret));
  const openIndex = firstSecret >= 0 ? firstSecret : 0;

  return (
    <div className="fb-preview" data-testid="feedback-preview">
      <FeedbackDestination endpoint={draft.endpoint} />

      <div className="fb-summary">
        <div className="fb-summary__line">
          <span data-testid="feedback-total">
            <strong>{formatBytes(size.bytes)}</strong> of {formatBytes(size.limit)} limit
          </span>
          <span className="fb-muted">
            {size.partsIncluded} of {draft.parts.length} parts
          </span>
          <span className={`fb-summary__redacted${secretCount > 0 ? ' has-secrets' : ''}`}>
            <ShieldIcon />
            {secretCount > 0
              ? `${secretCount} ${secretCount === 1 ? 'secret' : 'secrets'} redacted`
              : 'No secrets found'}
          </span>
        </div>
        <div
          className={`fb-meter${size.over ? ' is-over' : ''}`}
          role="meter"
          aria-label="Bundle size against the limit"
          aria-valuemin={0}
          aria-valuemax={size.limit}
          aria-valuenow={Math.min(size.bytes, size.limit)}
          aria-valuetext={`${formatBytes(size.bytes)} of ${formatBytes(size.limit)}`}
        >
          <div className="fb-meter__bar" style={{ width: `${fill}%` }} />
        </div>
      </div>

      {over && (
        <p className="fb-alert fb-alert--error" role="alert" data-testid="feedback-over-limit">
          {over}
        </p>
      )}

      {draft.warnings.length > 0 && (
        <ul className="fb-warnings" data-testid="feedback-warnings">
          {draft.warnings.map((w) => (
            <li key={w} className="fb-alert fb-alert--warn">
              <WarningIcon />
              <span>{w}</span>
            </li>
          ))}
        </ul>
      )}

      <ul className="fb-parts" aria-label="Parts of the bundle">
        {draft.parts.map((part, i) => (
          <FeedbackPartItem
            key={part.id}
            draftId={draft.draftId}
            part={part}
            included={part.required || !excluded.has(part.id)}
            onIncluded={(on) => onExclude(part.id, !on)}
            defaultOpen={i === openIndex}
          />
        ))}
      </ul>
      <p className="fb-muted fb-preview__hint">
        Secrets (API keys, tokens, passwords in URLs…) are replaced before anything is saved or sent. Open a
        part to read exactly what goes out.
      </p>
    </div>
  );
}
