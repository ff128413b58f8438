import { useState } from 'react';
import type { FeedbackPart } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { fetchPartText } from '../../api/use-feedback.ts';
import { formatNumber } from '../threads/thread-format.ts';
import { formatBytes, partKindLabel } from './feedback-format.ts';
import { ChevronIcon } from './feedback-icons.tsx';
import { RedactionBadges } from './RedactionBadges.tsx';

interface PartItemProps {
  draftId: string;
  part: FeedbackPart;
  included: boolean;
  onIncluded: (included: boolean) => void;
  defaultOpen: boolean;
}

/** One attachment in the preview: include toggle, name, kind, size, redactions and its redacted text. */
export function FeedbackPartItem({ draftId, part, included, onIncluded, defaultOpen }: PartItemProps) {
  const [open, setOpen] = useState(defaultOpen);
  const bodyId = `fb-part-${part.id}`;
  return (
    <li
      className={`fb-part${included ? '' : ' is-excluded'}`}
      data-testid="feedback-part"
      data-part-id={part.id}
      data-part-kind={part.kind}
    >
      <div className="fb-part__head">
        <input
          type="checkbox"
          className="fb-part__check"
          checked={included}
          disabled={part.required}
          onChange={(e) => onIncluded(e.target.checked)}
          aria-label={part.required ? `${part.name} is always sent` : `Include ${part.name}`}
          title={
            part.required ? 'The report is always sent' : included ? 'Untick to leave it out' : 'Left out'
          }
          data-testid="feedback-part-include"
        />
        <button
          type="button"
          className="fb-part__toggle"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen((o) => !o)}
          data-testid="feedback-part-toggle"
        >
          <ChevronIcon className={`fb-chevron${open ? ' is-open' : ''}`} />
          <span className="fb-part__name mono" data-testid="feedback-part-name">
            {part.name}
          </span>
          <span className="fb-part__kind">{partKindLabel(part.kind)}</span>
        </button>
        <span
          className="fb-part__size"
          data-testid="feedback-part-size"
          title={`${formatNumber(part.bytes)} bytes`}
        >
          {included ? formatBytes(part.bytes) : <s>{formatBytes(part.bytes)}</s>}
        </span>
      </div>
      {(Object.keys(part.redactions).length > 0 || part.source) && (
        <div className="fb-part__meta">
          <RedactionBadges counts={part.redactions} />
          {part.source && (
            <span className="fb-part__source mono" title={part.source}>
              {part.source}
            </span>
          )}
        </div>
      )}
      {open && (
        <div id={bodyId} className="fb-part__body">
          {part.text === null ? (
            <p className="fb-muted">
              {part.contentType} · not previewable as text. It is built from the redacted content above.
            </p>
          ) : (
            <>
              {part.contentType === 'application/gzip' && (
                <p className="fb-muted fb-part__note">
                  Sent gzip-compressed ({formatBytes(part.bytes)}); this is the redacted text inside.
                </p>
              )}
              <PartText draftId={draftId} part={part} />
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** The redacted text's first chunk; "Load more" pages through the rest with `feedback:partText`. */
function PartText({ draftId, part }: { draftId: string; part: FeedbackPart }) {
  const first = part.text ?? '';
  const [text, setText] = useState(first);
  const [next, setNext] = useState<number | null>(part.truncated ? first.length : null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const more = (): void => {
    if (next === null) return;
    setLoading(true);
    setError(null);
    fetchPartText(draftId, part.id, next).then(
      (page) => {
        setText((t) => t + page.text);
        setNext(page.nextOffset);
        setLoading(false);
      },
      (err: unknown) => {
        setError(errorMessage(err));
        setLoading(false);
      },
    );
  };

  return (
    <>
      <pre
        className="fb-text"
        tabIndex={0}
        aria-label={`${part.name}, redacted text`}
        data-testid="feedback-part-text"
      >
        {text || <span className="fb-muted">(empty)</span>}
      </pre>
      {(next !== null || error) && (
        <div className="fb-text__more">
          <span className="fb-muted">{formatNumber(text.length)} characters shown</span>
          {next !== null && (
            <button
              type="button"
              className="fb-button"
              onClick={more}
              disabled={loading}
              aria-busy={loading}
              data-testid="feedback-part-more"
            >
              {loading ? 'Loading…' : 'Load more'}
            </button>
          )}
          {error && (
            <span className="fb-error-text" role="alert">
              {error}
            </span>
          )}
        </div>
      )}
    </>
  );
}
