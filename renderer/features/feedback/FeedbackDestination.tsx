import type { FeedbackEndpoint } from '../../../preload/contract/index.ts';
import { destinationText, endpointNotice } from './feedback-format.ts';
import { SendIcon } from './feedback-icons.tsx';

/** Where the bundle goes, and why nowhere when the configured endpoint is missing or unusable. */
export function FeedbackDestination({ endpoint }: { endpoint: FeedbackEndpoint | undefined }) {
  if (!endpoint) return null;
  const local = endpoint.kind === 'none';
  const notice = endpointNotice(endpoint);
  return (
    <div className={`fb-destination${local ? ' is-local' : ''}`} data-testid="feedback-destination">
      <SendIcon />
      <div>
        <div>{destinationText(endpoint)}</div>
        {notice && <div className="fb-muted">{notice}</div>}
      </div>
    </div>
  );
}
