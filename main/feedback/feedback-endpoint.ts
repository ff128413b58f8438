/** Where feedback bundles are uploaded: a Sentry DSN (Codex's own transport, seed §7) or a plain HTTPS URL. */
export type UploadTarget =
  | { kind: 'sentry'; dsn: string; envelopeUrl: string; publicKey: string; display: string }
  | { kind: 'https'; url: string; display: string };

/** The configured endpoint cannot be used; the message says why and what a valid value looks like. */
export class FeedbackEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedbackEndpointError';
  }
}

/** Plain http is only allowed to this computer (local servers and tests). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const EXPECTED =
  'expected a Sentry DSN (https://<key>@<host>/<project id>) or an https:// address of a server that accepts multipart uploads';

/** The value as it may be quoted back to the user: anything between `//` and `@` (keys, passwords) masked. */
function masked(value: string): string {
  const shown = value.replace(/\/\/[^/?#]*@/, '//***@');
  return shown.length > 120 ? `${shown.slice(0, 120)}…` : shown;
}

/**
 * Parses THREADSCOPE_FEEDBACK_ENDPOINT-style values: a Sentry DSN (`https://<key>@<host>/<project id>`, optional
 * path prefix before the project id as Sentry allows) or a plain URL. Only https, except http to loopback
 * (127.0.0.1, ::1, localhost) for local servers/tests. Throws FeedbackEndpointError with a clear message otherwise.
 * `display` never contains the key or credentials.
 */
export function parseFeedbackEndpoint(value: string): UploadTarget {
  const raw = value.trim();
  if (raw === '') throw new FeedbackEndpointError(`The feedback endpoint is empty: ${EXPECTED}.`);
  if (/\s/.test(raw)) {
    throw new FeedbackEndpointError(`The feedback endpoint "${masked(raw)}" contains spaces: ${EXPECTED}.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FeedbackEndpointError(`The feedback endpoint "${masked(raw)}" is not a URL: ${EXPECTED}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FeedbackEndpointError(
      `The feedback endpoint "${masked(raw)}" uses ${url.protocol.slice(0, -1)}: feedback is only sent over https.`,
    );
  }
  if (url.hostname === '') {
    throw new FeedbackEndpointError(`The feedback endpoint "${masked(raw)}" has no host: ${EXPECTED}.`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new FeedbackEndpointError(
      `The feedback endpoint uses plain http to ${url.host}: feedback is only sent over https, ` +
        'except to this computer (http://127.0.0.1, http://[::1], http://localhost).',
    );
  }
  if (url.username !== '') return parseSentryDsn(url, raw);
  if (url.password !== '') {
    throw new FeedbackEndpointError(
      `The feedback endpoint for ${url.host} has a password in its address; ` +
        'plain https endpoints cannot carry credentials (a Sentry DSN has only a key before the @).',
    );
  }
  url.hash = '';
  // The query is sent (it may carry a token) but never displayed.
  return { kind: 'https', url: url.href, display: `${url.origin}${url.pathname}` };
}

function parseSentryDsn(url: URL, raw: string): UploadTarget {
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const projectId = segments.pop();
  if (projectId === undefined || !/^\d+$/.test(projectId)) {
    throw new FeedbackEndpointError(
      `The feedback endpoint "${masked(raw)}" has a key before the @ but is not a Sentry DSN: ` +
        'a DSN ends with the numeric project id, e.g. https://<key>@o0.ingest.sentry.io/123.',
    );
  }
  const publicKey = decodeURIComponent(url.username);
  if (!/^[A-Za-z0-9_-]+$/.test(publicKey)) {
    throw new FeedbackEndpointError(
      `The Sentry DSN for ${url.host} has a malformed key: a DSN key is letters and digits (usually 32 hex digits).`,
    );
  }
  const prefix = segments.length > 0 ? `/${segments.join('/')}` : '';
  const base = `${url.protocol}//${url.host}`;
  return {
    kind: 'sentry',
    // The legacy secret key (`key:secret@`) is dropped: it is never sent.
    dsn: `${url.protocol}//${publicKey}@${url.host}${prefix}/${projectId}`,
    envelopeUrl: `${base}${prefix}/api/${projectId}/envelope/`,
    publicKey,
    display: `${base}${prefix}/${projectId}`,
  };
}
