import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real feedback server on 127.0.0.1 for tests: it accepts Sentry envelopes at `/<prefix>/api/<project>/envelope/`
 * (checking the `X-Sentry-Auth` key like Sentry) and multipart uploads on any other path, parses them strictly
 * (an envelope item whose length is off is refused with 400 and `parseError`) and records every request.
 * Self-contained (no imports of our code) so unit tests and Playwright specs can both use it.
 */

export interface ReceivedAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface Received {
  kind: 'sentry' | 'multipart';
  method: string;
  /** Path and query, e.g. `/api/42/envelope/`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Sentry: the envelope's header line (`event_id`, `sent_at`, `dsn`). */
  envelopeHeader: Record<string, unknown> | null;
  /** Sentry: every item header in order (the event's first). */
  itemHeaders: Record<string, unknown>[];
  /** The Sentry event JSON, or the multipart `metadata` field's JSON. */
  event: Record<string, unknown> | null;
  /** Multipart: the text fields (besides files) by name. */
  fields: Record<string, string>;
  attachments: ReceivedAttachment[];
  /** Why the body was refused (400), if it was malformed. */
  parseError: string | null;
  /** What the server answered. */
  status: number;
}

export interface FeedbackServerOptions {
  /** The first N requests fail with `status` (default 500); later ones succeed. */
  failFirst?: number;
  /** Without `failFirst`: every request fails with this status. With it: the failing requests' status. */
  status?: number;
  /** Wait this long before answering each request (for timeouts). */
  delayMs?: number;
  /** `Retry-After` (seconds) sent with failures. */
  retryAfter?: number;
  /** Body of failures (default `{"detail":"<status> from the test server"}`). */
  errorBody?: string;
  /** The DSN's public key (default random). */
  sentryKey?: string;
  /** Body of a successful multipart upload (default `{"id":"remote-<n>"}`); Sentry answers `{"id":<event id>}`. */
  okBody?: string;
}

export interface FeedbackServer {
  /** `http://127.0.0.1:<port>`; POST multipart uploads to `${url}/upload` (any non-Sentry path). */
  url: string;
  /** `http://<key>@127.0.0.1:<port>/42`. */
  sentryDsn: string;
  sentryKey: string;
  received: Received[];
  close(): Promise<void>;
}

const PROJECT_ID = '42';
const ENVELOPE_PATH = /^(?:\/[^?]*)?\/api\/(\d+)\/envelope\/?(?:\?.*)?$/;

export async function startFeedbackServer(opts: FeedbackServerOptions = {}): Promise<FeedbackServer> {
  const sentryKey = opts.sentryKey ?? randomBytes(16).toString('hex');
  const received: Received[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  let closing: Promise<void> | null = null;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('error', () => {}); // a client that gives up mid-upload
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = count;
      count += 1;
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const match = ENVELOPE_PATH.exec(path);
      const rec: Received = {
        kind: match ? 'sentry' : 'multipart',
        method: req.method ?? '',
        path,
        headers: req.headers,
        envelopeHeader: null,
        itemHeaders: [],
        event: null,
        fields: {},
        attachments: [],
        parseError: null,
        status: 0,
      };
      let answer: { status: number; body: string; headers?: Record<string, string> };
      try {
        if (match) parseEnvelope(body, rec);
        else parseMultipart(body, req.headers['content-type'] ?? '', rec);
        answer = decide(opts, index, rec, sentryKey, match?.[1]);
      } catch (err) {
        rec.parseError = err instanceof Error ? err.message : String(err);
        answer = { status: 400, body: JSON.stringify({ detail: rec.parseError }) };
      }
      rec.status = answer.status;
      received.push(rec);
      const send = (): void => reply(res, answer.status, answer.body, answer.headers);
      if (opts.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, opts.delayMs);
        timers.add(t);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sentryDsn: `http://${sentryKey}@127.0.0.1:${port}/${PROJECT_ID}`,
    sentryKey,
    received,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function decide(
  opts: FeedbackServerOptions,
  index: number,
  rec: Received,
  sentryKey: string,
  project: string | undefined,
): { status: number; body: string; headers?: Record<string, string> } {
  if (rec.method !== 'POST') return { status: 405, body: '{"detail":"method not allowed"}' };
  if (rec.kind === 'sentry') {
    const auth = String(rec.headers['x-sentry-auth'] ?? '');
    if (!new RegExp(`(^|[ ,])sentry_key=${sentryKey}(,|$)`).test(auth) || project !== PROJECT_ID) {
      return { status: 401, body: '{"detail":"missing authorization information"}' };
    }
  }
  const failing = opts.failFirst !== undefined ? index < opts.failFirst : opts.status !== undefined;
  if (failing) {
    const status = opts.status ?? 500;
    const headers: Record<string, string> = {};
    if (opts.retryAfter !== undefined) headers['retry-after'] = String(opts.retryAfter);
    const body = opts.errorBody ?? JSON.stringify({ detail: `${status} from the test server` });
    return { status, body, headers };
  }
  if (rec.kind === 'sentry')
    return { status: 200, body: JSON.stringify({ id: rec.envelopeHeader?.event_id }) };
  return { status: 200, body: opts.okBody ?? JSON.stringify({ id: `remote-${index + 1}` }) };
}

function reply(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.on('error', () => {});
  const type = body.startsWith('{')
    ? 'application/json'
    : body.startsWith('<')
      ? 'text/html; charset=utf-8'
      : 'text/plain; charset=utf-8';
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

function jsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what} is not JSON: ${bytes.toString('utf8').slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Strict envelope parsing: every item needs an exact `length`, and its payload must be followed by `\n`. */
function parseEnvelope(body: Buffer, rec: Received): void {
  let pos = 0;
  const readLine = (what: string): Buffer => {
    const end = body.indexOf(0x0a, pos);
    if (end < 0) throw new Error(`${what} has no terminating newline`);
    const line = body.subarray(pos, end);
    pos = end + 1;
    return line;
  };
  rec.envelopeHeader = jsonObject(readLine('envelope header'), 'envelope header');
  while (pos < body.length) {
    const header = jsonObject(readLine(`item ${rec.itemHeaders.length} header`), 'item header');
    const length = header.length;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
      throw new Error(`item ${rec.itemHeaders.length} has no exact length`);
    }
    if (pos + length + 1 > body.length || body[pos + length] !== 0x0a) {
      throw new Error(`item ${rec.itemHeaders.length} payload is not ${length} bytes followed by a newline`);
    }
    const payload = body.subarray(pos, pos + length);
    pos += length + 1;
    rec.itemHeaders.push(header);
    if (header.type === 'event') {
      if (rec.event) throw new Error('two event items');
      rec.event = jsonObject(payload, 'event payload');
    } else if (header.type === 'attachment') {
      rec.attachments.push({
        filename: String(header.filename),
        contentType: String(header.content_type),
        data: Buffer.from(payload),
      });
    } else throw new Error(`unexpected item type ${String(header.type)}`);
  }
  if (!rec.event) throw new Error('no event item');
}

/** Binary-safe multipart/form-data parsing (RFC 7578). */
function parseMultipart(body: Buffer, contentType: string, rec: Received): void {
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw new Error(`not a multipart upload (content-type ${contentType || 'missing'})`);
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  const data = Buffer.concat([Buffer.from('\r\n'), body]);
  let pos = data.indexOf(delimiter);
  if (pos !== 0) throw new Error('multipart body does not start with the boundary');
  for (;;) {
    pos += delimiter.length;
    if (data.subarray(pos, pos + 2).toString() === '--') break;
    if (data.subarray(pos, pos + 2).toString() !== '\r\n') throw new Error('malformed boundary line');
    const headEnd = data.indexOf('\r\n\r\n', pos);
    const next = data.indexOf(delimiter, pos);
    if (headEnd < 0 || next < 0 || headEnd > next) throw new Error('truncated multipart part');
    const headers = data
      .subarray(pos + 2, headEnd)
      .toString('utf8')
      .split('\r\n');
    const content = Buffer.from(data.subarray(headEnd + 4, next));
    const header = (name: string): string =>
      headers
        .find((h) => h.toLowerCase().startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim() ?? '';
    const disposition = header('content-disposition');
    const name = /(?:^|;)\s*name="([^"]*)"/.exec(disposition)?.[1];
    const filename = /;\s*filename="([^"]*)"/.exec(disposition)?.[1];
    if (name === undefined) throw new Error(`part without a name: ${disposition}`);
    if (filename !== undefined) {
      rec.attachments.push({ filename, contentType: header('content-type'), data: content });
    } else {
      rec.fields[name] = content.toString('utf8');
    }
    pos = next;
  }
  const metadata = rec.fields.metadata;
  if (metadata === undefined) throw new Error('no metadata field');
  rec.event = jsonObject(Buffer.from(metadata), 'metadata');
}
