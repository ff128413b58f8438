import { STATUS_CODES } from 'node:http';
import type { UploadTarget } from './feedback-endpoint.ts';
import {
  buildFeedbackEvent,
  encodeEnvelope,
  sentryAuthHeader,
  type UploadAttachment,
  type UploadEvent,
} from './sentry-envelope.ts';

export type { UploadAttachment, UploadEvent } from './sentry-envelope.ts';

export interface UploadOptions {
  /** Per attempt (connect, send and the whole answer), default 30 s. */
  timeoutMs?: number;
  /** Default 1 (so at most 2 attempts). */
  retries?: number;
  /** Default 1,000, doubled per retry; a `Retry-After` of at most 30 s replaces it. */
  backoffMs?: number;
  signal?: AbortSignal;
  /** Default `Threadscope/<appVersion>`. */
  userAgent?: string;
}

export interface UploadResult {
  /** Sentry's event id (the event id when it did not say), or the `id` of an HTTPS server's JSON answer. */
  remoteId: string | null;
  attempts: number;
  status: number;
}

/** The upload failed; the message names the server's host and the reason in plain words, never the DSN key. */
export class FeedbackUploadError extends Error {
  readonly attempts: number;
  /** The last HTTP status, or null when there was no answer (network error, timeout, cancelled). */
  readonly status: number | null;
  /** Trying again later may work (network trouble, timeouts, 408/429/5xx, cancelled). */
  readonly retryable: boolean;

  constructor(
    message: string,
    init: { attempts: number; status: number | null; retryable: boolean; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'FeedbackUploadError';
    this.attempts = init.attempts;
    this.status = init.status;
    this.retryable = init.retryable;
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 1;
const DEFAULT_BACKOFF_MS = 1_000;
const MAX_RETRY_AFTER_MS = 30_000;
const BODY_SNIPPET_CHARS = 200;

interface AttemptFailure {
  message: string;
  status: number | null;
  retryable: boolean;
  /** The server's `Retry-After`, when it sent one. */
  retryAfterMs: number | null;
  cause?: unknown;
}

type AttemptOutcome = { ok: true; status: number; body: string } | { ok: false; failure: AttemptFailure };

/** Builds a fresh request per attempt (a FormData body cannot be sent twice; `sent_at` is per attempt). */
interface RequestPlan {
  url: string;
  host: string;
  /** Masked out of anything quoted back from the server. */
  secret: string | null;
  init: () => RequestInit;
}

/**
 * Uploads one feedback report: a Sentry envelope to a DSN's project, or a multipart POST to an https URL. Retries
 * network errors, timeouts, 408, 429 and 5xx (`opts.retries` times, with backoff); throws FeedbackUploadError.
 */
export async function uploadFeedback(
  target: UploadTarget,
  event: UploadEvent,
  attachments: UploadAttachment[],
  opts: UploadOptions = {},
): Promise<UploadResult> {
  if (!/^[0-9a-f]{32}$/.test(event.id)) {
    throw new FeedbackUploadError(`The feedback id "${event.id}" is not 32 lowercase hex digits.`, {
      attempts: 0,
      status: null,
      retryable: false,
    });
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxAttempts = 1 + Math.max(0, Math.floor(opts.retries ?? DEFAULT_RETRIES));
  const backoffMs = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  const plan = requestPlan(target, event, attachments, opts.userAgent ?? `Threadscope/${event.appVersion}`);

  for (let attempt = 1; ; attempt += 1) {
    if (opts.signal?.aborted) throw cancelled(plan.host, attempt - 1);
    const outcome = await attemptOnce(plan, timeoutMs, opts.signal);
    if (outcome.ok) {
      const fromServer = answeredId(outcome.body);
      const remoteId = target.kind === 'sentry' ? (fromServer ?? event.id) : fromServer;
      return { remoteId, attempts: attempt, status: outcome.status };
    }
    if (opts.signal?.aborted) throw cancelled(plan.host, attempt);
    const f = outcome.failure;
    const tooLong = f.retryable && f.retryAfterMs !== null && f.retryAfterMs > MAX_RETRY_AFTER_MS;
    if (!f.retryable || tooLong || attempt >= maxAttempts) {
      const asked = tooLong ? `; it asked to wait ${Math.ceil((f.retryAfterMs ?? 0) / 1000)} s` : '';
      const tries = attempt > 1 ? ` (tried ${attempt} times)` : '';
      throw new FeedbackUploadError(`${f.message}${asked}${tries}`, {
        attempts: attempt,
        status: f.status,
        retryable: f.retryable,
        cause: f.cause,
      });
    }
    await pause(f.retryAfterMs ?? backoffMs * 2 ** (attempt - 1), opts.signal);
  }
}

/** The request for the target: a Sentry envelope with its auth header, or a multipart form. */
function requestPlan(
  target: UploadTarget,
  event: UploadEvent,
  attachments: readonly UploadAttachment[],
  userAgent: string,
): RequestPlan {
  const payload = buildFeedbackEvent(event);
  if (target.kind === 'https') {
    const init = (): RequestInit => {
      const form = new FormData();
      form.append('metadata', JSON.stringify(payload));
      for (const a of attachments)
        form.append('file', new Blob([a.data], { type: a.contentType }), a.filename);
      return { method: 'POST', headers: { 'user-agent': userAgent }, body: form };
    };
    return { url: target.url, host: new URL(target.url).host, secret: null, init };
  }
  const headers = {
    'content-type': 'application/x-sentry-envelope',
    'x-sentry-auth': sentryAuthHeader(target.publicKey, event.appVersion),
    'user-agent': userAgent,
  };
  const init = (): RequestInit => ({
    method: 'POST',
    headers,
    body: encodeEnvelope({ eventId: event.id, sentAt: new Date(), dsn: target.dsn }, payload, attachments),
  });
  return { url: target.envelopeUrl, host: new URL(target.envelopeUrl).host, secret: target.publicKey, init };
}

async function attemptOnce(
  plan: RequestPlan,
  timeoutMs: number,
  external: AbortSignal | undefined,
): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = external ? AbortSignal.any([external, timeout]) : timeout;
  try {
    const res = await fetch(plan.url, { ...plan.init(), signal, redirect: 'manual' });
    const body = await res.text();
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, body };
    return { ok: false, failure: statusFailure(plan, res, body) };
  } catch (err) {
    if (timeout.aborted && !external?.aborted) {
      const message = `The feedback server ${plan.host} did not answer within ${duration(timeoutMs)}`;
      return {
        ok: false,
        failure: { message, status: null, retryable: true, retryAfterMs: null, cause: err },
      };
    }
    return { ok: false, failure: networkFailure(plan.host, err) };
  }
}

function statusFailure(plan: RequestPlan, res: Response, body: string): AttemptFailure {
  const status = res.status;
  const reason = STATUS_CODES[status] ?? res.statusText;
  const base = `The feedback server ${plan.host} answered ${status}${reason ? ` ${reason}` : ''}`;
  if (status >= 300 && status < 400) {
    const location = res.headers.get('location');
    let where = 'another address';
    if (location) {
      try {
        where = new URL(location, plan.url).host;
      } catch {
        // keep the generic words
      }
    }
    return {
      message: `${base}: it redirects to ${where}; set the feedback endpoint to the final address`,
      status,
      retryable: false,
      retryAfterMs: null,
    };
  }
  const snippet = bodySnippet(body, res.headers.get('content-type'), plan.secret);
  const hint = plan.secret !== null && (status === 401 || status === 403) ? ' (check the Sentry DSN)' : '';
  return {
    message: `${base}${snippet ? `: ${snippet}` : ''}${hint}`,
    status,
    retryable: status === 408 || status === 429 || status >= 500,
    retryAfterMs: retryAfter(res.headers.get('retry-after')),
  };
}

/** The first characters of an error answer in one line: a JSON `detail`/`error`/`message`, HTML without tags. */
function bodySnippet(body: string, contentType: string | null, secret: string | null): string {
  let text = body;
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === 'object' && json !== null) {
      const record = json as Record<string, unknown>;
      const said = [record.detail, record.error, record.message].find((v) => typeof v === 'string');
      if (typeof said === 'string') text = said;
    }
  } catch {
    // not JSON: the text as is
  }
  if (contentType?.includes('html'))
    text = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  if (secret) text = text.split(secret).join('***');
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > BODY_SNIPPET_CHARS ? `${text.slice(0, BODY_SNIPPET_CHARS)}…` : text;
}

/** `Retry-After` as seconds or an HTTP date, in ms; null when absent or unreadable. */
function retryAfter(header: string | null): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const CLOSED = 'the connection was closed unexpectedly';
const UNRESOLVED = 'its name could not be resolved (check the address and your network)';
/** Network error codes in words; certificate problems are not retried (they will not go away by themselves). */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (is the server running?)',
  ENOTFOUND: UNRESOLVED,
  EAI_AGAIN: UNRESOLVED,
  ECONNRESET: CLOSED,
  EPIPE: CLOSED,
  UND_ERR_SOCKET: CLOSED,
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
};

function errorCode(err: unknown): { code: string | null; message: string } {
  let cur: unknown = err;
  // fetch wraps the socket error: TypeError('fetch failed', { cause }) — possibly an AggregateError per address.
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth += 1) {
    const e = cur as { code?: unknown; cause?: unknown; errors?: unknown; message?: unknown };
    if (typeof e.code === 'string') return { code: e.code, message: String(e.message ?? e.code) };
    cur = e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  const last = cur ?? err;
  return { code: null, message: last instanceof Error ? last.message : String(last) };
}

function networkFailure(host: string, err: unknown): AttemptFailure {
  const { code, message } = errorCode(err);
  const base = `Could not reach the feedback server ${host}`;
  if (code !== null && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return {
      message: `${base}: its TLS certificate was not accepted (${code})`,
      status: null,
      retryable: false,
      retryAfterMs: null,
      cause: err,
    };
  }
  const words = code !== null ? (NETWORK_WORDS[code] ?? message) : message;
  return {
    message: `${base}: ${words}${code !== null ? ` (${code})` : ''}`,
    status: null,
    retryable: true,
    retryAfterMs: null,
    cause: err,
  };
}

function cancelled(host: string, attempts: number): FeedbackUploadError {
  return new FeedbackUploadError(`Sending feedback to ${host} was cancelled`, {
    attempts,
    status: null,
    retryable: true,
  });
}

/** The `id` of a JSON answer (Sentry answers `{"id": "<event id>"}`). */
function answeredId(body: string): string | null {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json !== 'object' || json === null) return null;
    const id = (json as { id?: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
    return typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    if (signal?.aborted) return done();
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      done();
    };
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish);
  });
}
