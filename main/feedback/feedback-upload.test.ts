import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startFeedbackServer, type FeedbackServer } from '../test-support/feedback-server.ts';
import { FeedbackEndpointError, parseFeedbackEndpoint, type UploadTarget } from './feedback-endpoint.ts';
import {
  FeedbackUploadError,
  uploadFeedback,
  type UploadAttachment,
  type UploadEvent,
  type UploadOptions,
} from './feedback-upload.ts';
import { buildFeedbackEvent, encodeEnvelope } from './sentry-envelope.ts';

const THREAD = '0199a0b1-c2d3-7e4f-8a9b-0c1d2e3f4a5b';
const FAST: UploadOptions = { timeoutMs: 5_000, backoffMs: 1 };

function makeEvent(over: Partial<UploadEvent> = {}): UploadEvent {
  return {
    id: randomBytes(16).toString('hex'),
    createdAtMs: Date.UTC(2026, 2, 1, 12, 30, 0, 250),
    classification: 'bug',
    note: 'The transcript stops after the second turn.\nSee the rollout — it ends mid-line ✓',
    threadId: THREAD,
    appVersion: '0.1.0',
    platform: 'linux 6.8.0 x64',
    tags: { session_source: 'cli', thread_id: 'spoofed', 'bad key!': 'dropped' },
    ...over,
  };
}

const rollout = Buffer.from(
  Array.from({ length: 200 }, (_, i) =>
    JSON.stringify({ type: 'event_msg', i, text: `ligne ${i} — é✓\n` }),
  ).join('\n'),
);
const attachments = (): UploadAttachment[] => [
  { filename: 'report.md', contentType: 'text/markdown', data: Buffer.from('# Report\n\nnote: é ✓\n') },
  { filename: 'codex-logs.log', contentType: 'text/plain', data: Buffer.from('line one\r\nline two\n\n') },
  { filename: 'rollout.jsonl.gz', contentType: 'application/gzip', data: gzipSync(rollout) },
];

let servers: FeedbackServer[] = [];
async function server(opts: Parameters<typeof startFeedbackServer>[0] = {}): Promise<FeedbackServer> {
  const s = await startFeedbackServer(opts);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Runs an upload that must fail and returns its error. */
async function failure(promise: Promise<unknown>): Promise<FeedbackUploadError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedbackUploadError);
  return err as FeedbackUploadError;
}

describe('uploadFeedback to a Sentry DSN', () => {
  it('posts an exact envelope: header, event item and byte-identical attachments', async () => {
    const s = await server();
    const event = makeEvent();
    const files = attachments();
    const result = await uploadFeedback(parseFeedbackEndpoint(s.sentryDsn), event, files, FAST);
    expect(result).toEqual({ remoteId: event.id, attempts: 1, status: 200 });

    expect(s.received).toHaveLength(1);
    const r = s.received[0]!;
    expect(r.parseError).toBeNull();
    expect(r.kind).toBe('sentry');
    expect(r.path).toBe('/api/42/envelope/');
    expect(r.headers['content-type']).toBe('application/x-sentry-envelope');
    expect(r.headers['x-sentry-auth']).toBe(
      `Sentry sentry_version=7, sentry_key=${s.sentryKey}, sentry_client=threadscope/0.1.0`,
    );
    expect(r.headers['user-agent']).toBe('Threadscope/0.1.0');
    expect(r.envelopeHeader).toMatchObject({ event_id: event.id, dsn: s.sentryDsn });
    expect(Date.parse(String(r.envelopeHeader?.sent_at))).not.toBeNaN();

    expect(r.itemHeaders.map((h) => h.type)).toEqual(['event', 'attachment', 'attachment', 'attachment']);
    expect(r.itemHeaders.slice(1)).toEqual(
      files.map((f) => ({
        type: 'attachment',
        length: f.data.length,
        filename: f.filename,
        content_type: f.contentType,
        attachment_type: 'event.attachment',
      })),
    );
    expect(r.attachments.map((a) => a.filename)).toEqual(files.map((f) => f.filename));
    r.attachments.forEach((a, i) => expect(a.data.equals(files[i]!.data)).toBe(true));
    expect(gunzipSync(r.attachments[2]!.data).equals(rollout)).toBe(true);

    const title = `[Bug]: Threadscope feedback ${THREAD}`;
    expect(r.event).toEqual({
      event_id: event.id,
      timestamp: 1772368200.25,
      platform: 'other',
      level: 'error',
      message: title,
      title,
      release: 'threadscope@0.1.0',
      tags: {
        thread_id: THREAD,
        classification: 'bug',
        app_version: '0.1.0',
        platform: 'linux 6.8.0 x64',
        session_source: 'cli',
      },
      exception: { values: [{ type: title, value: event.note }] },
    });
  });

  it('counts item lengths in bytes, not characters', () => {
    const event = makeEvent({ note: 'é✓😀' });
    const payload = buildFeedbackEvent(event);
    const data = Buffer.from('ü\n✓');
    const env = encodeEnvelope({ eventId: event.id, sentAt: new Date(0), dsn: 'https://k@h/1' }, payload, [
      { filename: 'a.txt', contentType: 'text/plain', data },
    ]);
    const lines = env.toString('utf8').split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      event_id: event.id,
      sent_at: '1970-01-01T00:00:00.000Z',
      dsn: 'https://k@h/1',
    });
    const eventJson = Buffer.from(JSON.stringify(payload));
    expect(JSON.parse(lines[1]!)).toEqual({ type: 'event', length: eventJson.length });
    expect(eventJson.length).toBeGreaterThan(JSON.stringify(payload).length);
    expect(JSON.parse(lines[3]!)).toMatchObject({ type: 'attachment', length: 6 });
    expect(env.subarray(env.length - data.length - 1).equals(Buffer.concat([data, Buffer.from('\n')]))).toBe(
      true,
    );
  });

  it('mirrors Codex for feedback about the app: info level, no exception without a note', () => {
    const payload = buildFeedbackEvent(
      makeEvent({
        classification: 'good_result',
        threadId: null,
        note: '  ',
        tags: { x: 'a\nb'.repeat(150) },
      }),
    );
    expect(payload.title).toBe('[Good result]: Threadscope feedback about the app');
    expect(payload.level).toBe('info');
    expect(payload.exception).toBeUndefined();
    expect(payload.tags.thread_id).toBeUndefined();
    expect(payload.tags.x).toHaveLength(200);
    expect(payload.tags.x).not.toContain('\n');
    expect(buildFeedbackEvent(makeEvent({ classification: 'bad_result' })).level).toBe('error');
    expect(buildFeedbackEvent(makeEvent({ classification: 'other' })).title).toMatch(/^\[Other\]: /);
  });

  it('sends to a DSN with a path prefix', async () => {
    const s = await server();
    const dsn = s.sentryDsn.replace(/\/42$/, '/sentry/relay/42');
    const result = await uploadFeedback(parseFeedbackEndpoint(dsn), makeEvent(), [], FAST);
    expect(result.status).toBe(200);
    expect(s.received[0]?.path).toBe('/sentry/relay/api/42/envelope/');
    expect(s.received[0]?.attachments).toEqual([]);
  });

  it('does not retry a refused key and never quotes it', async () => {
    const s = await server({ status: 401, errorBody: '' });
    const target = parseFeedbackEndpoint(s.sentryDsn.replace(s.sentryKey, 'f'.repeat(32)));
    const err = await failure(uploadFeedback(target, makeEvent(), [], FAST));
    expect(err).toMatchObject({ attempts: 1, status: 401, retryable: false });
    expect(err.message).toBe(
      `The feedback server 127.0.0.1:${new URL(s.url).port} answered 401 Unauthorized: ` +
        'missing authorization information (check the Sentry DSN)',
    );
    expect(s.received).toHaveLength(1);
  });

  it('masks the key when the server echoes it', async () => {
    const key = randomBytes(16).toString('hex');
    const s = await server({
      sentryKey: key,
      status: 403,
      errorBody: JSON.stringify({ detail: `key ${key} disabled` }),
    });
    const err = await failure(uploadFeedback(parseFeedbackEndpoint(s.sentryDsn), makeEvent(), [], FAST));
    expect(err).toMatchObject({ attempts: 1, status: 403, retryable: false });
    expect(err.message).toMatch(/answered 403 Forbidden: key \*\*\* disabled \(check the Sentry DSN\)$/);
    expect(err.message).not.toContain(key);
  });
});

describe('uploadFeedback to an https endpoint (multipart)', () => {
  it('posts the metadata and one file part per attachment', async () => {
    const s = await server();
    const event = makeEvent();
    const files = attachments();
    const result = await uploadFeedback(parseFeedbackEndpoint(`${s.url}/upload?token=t`), event, files, FAST);
    expect(result).toEqual({ remoteId: 'remote-1', attempts: 1, status: 200 });
    const r = s.received[0]!;
    expect(r).toMatchObject({ kind: 'multipart', path: '/upload?token=t', parseError: null });
    expect(r.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(r.event).toEqual(JSON.parse(JSON.stringify(buildFeedbackEvent(event))));
    expect(r.attachments.map((a) => [a.filename, a.contentType])).toEqual(
      files.map((f) => [f.filename, f.contentType]),
    );
    r.attachments.forEach((a, i) => expect(a.data.equals(files[i]!.data)).toBe(true));
    expect(gunzipSync(r.attachments[2]!.data).equals(rollout)).toBe(true);
  });

  it('has no remote id when the server answers without JSON', async () => {
    const s = await server({ okBody: 'thanks' });
    const result = await uploadFeedback(parseFeedbackEndpoint(s.url), makeEvent(), [], FAST);
    expect(result).toEqual({ remoteId: null, attempts: 1, status: 200 });
  });
});

describe('retries', () => {
  const https = (s: FeedbackServer): UploadTarget => parseFeedbackEndpoint(`${s.url}/upload`);

  it('succeeds on the retry after one failure, sending the whole body again', async () => {
    const s = await server({ failFirst: 1 });
    const files = attachments();
    const result = await uploadFeedback(https(s), makeEvent(), files, FAST);
    expect(result).toEqual({ remoteId: 'remote-2', attempts: 2, status: 200 });
    expect(s.received.map((r) => r.status)).toEqual([500, 200]);
    expect(s.received[1]!.attachments[2]!.data.equals(files[2]!.data)).toBe(true);
  });

  it('gives up after the retry on a persistent 500', async () => {
    const s = await server({ status: 500 });
    const err = await failure(uploadFeedback(parseFeedbackEndpoint(s.sentryDsn), makeEvent(), [], FAST));
    expect(err).toMatchObject({ attempts: 2, status: 500, retryable: true });
    expect(err.message).toBe(
      `The feedback server ${new URL(s.url).host} answered 500 Internal Server Error: ` +
        '500 from the test server (tried 2 times)',
    );
    expect(s.received).toHaveLength(2);
  });

  it('never retries a 400', async () => {
    const s = await server({ status: 400, errorBody: 'attachment too large for this project' });
    const err = await failure(uploadFeedback(https(s), makeEvent(), [], { ...FAST, retries: 3 }));
    expect(err).toMatchObject({ attempts: 1, status: 400, retryable: false });
    expect(err.message).toMatch(/answered 400 Bad Request: attachment too large for this project$/);
    expect(s.received).toHaveLength(1);
  });

  it('quotes at most 200 characters of an HTML error page, without tags', async () => {
    const page = `<html><head><title>413</title><style>p{}</style></head><body><h1>Payload Too Large</h1>${'x'.repeat(500)}</body></html>`;
    const s = await server({ status: 413, errorBody: page });
    const err = await failure(uploadFeedback(https(s), makeEvent(), [], FAST));
    expect(err.message).toMatch(/answered 413 Payload Too Large: 413 Payload Too Large x+…$/);
    expect(err.message.split(': ').slice(1).join(': ')).toHaveLength(201);
    expect(err.retryable).toBe(false);
  });

  it('honours a short Retry-After on 429 and refuses a long one', async () => {
    const short = await server({ failFirst: 1, status: 429, retryAfter: 0 });
    expect(
      (await uploadFeedback(https(short), makeEvent(), [], { ...FAST, backoffMs: 60_000 })).attempts,
    ).toBe(2);

    const long = await server({ status: 429, retryAfter: 120 });
    const err = await failure(uploadFeedback(https(long), makeEvent(), [], FAST));
    expect(err).toMatchObject({ attempts: 1, status: 429, retryable: true });
    expect(err.message).toMatch(/answered 429 Too Many Requests: .*; it asked to wait 120 s$/);
  });

  it('reports a server that does not answer in time', async () => {
    const s = await server({ delayMs: 10_000 });
    const err = await failure(uploadFeedback(https(s), makeEvent(), [], { timeoutMs: 50, retries: 0 }));
    expect(err).toMatchObject({ attempts: 1, status: null, retryable: true });
    expect(err.message).toBe(`The feedback server ${new URL(s.url).host} did not answer within 50 ms`);

    const again = await failure(uploadFeedback(https(s), makeEvent(), [], { timeoutMs: 50, backoffMs: 1 }));
    expect(again.attempts).toBe(2);
    expect(again.message).toMatch(/did not answer within 50 ms \(tried 2 times\)$/);
  });

  it('retries and then explains a refused connection', async () => {
    const s = await startFeedbackServer();
    const target = https(s);
    await s.close();
    const err = await failure(uploadFeedback(target, makeEvent(), [], FAST));
    expect(err).toMatchObject({ attempts: 2, status: null, retryable: true });
    expect(err.message).toBe(
      `Could not reach the feedback server ${new URL(s.url).host}: ` +
        'the connection was refused (is the server running?) (ECONNREFUSED) (tried 2 times)',
    );
  });

  it('treats a redirect as a configuration problem', async () => {
    const s = await server({ status: 302 });
    const err = await failure(uploadFeedback(https(s), makeEvent(), [], FAST));
    expect(err).toMatchObject({ attempts: 1, status: 302, retryable: false });
    expect(err.message).toMatch(
      /answered 302 Found: it redirects to another address; set the feedback endpoint/,
    );
  });

  it('stops when cancelled, before or during an attempt', async () => {
    const s = await server({ delayMs: 10_000 });
    const before = await failure(
      uploadFeedback(https(s), makeEvent(), [], { ...FAST, signal: AbortSignal.abort() }),
    );
    expect(before).toMatchObject({ attempts: 0, status: null });
    expect(s.received).toHaveLength(0);

    const ctl = new AbortController();
    const pending = uploadFeedback(https(s), makeEvent(), [], { ...FAST, signal: ctl.signal });
    await expect.poll(() => s.received.length).toBe(1);
    ctl.abort();
    const during = await failure(pending);
    expect(during).toMatchObject({ attempts: 1, status: null, retryable: true });
    expect(during.message).toBe(`Sending feedback to ${new URL(s.url).host} was cancelled`);
    expect(s.received).toHaveLength(1);
  });

  it('refuses a malformed feedback id without sending', async () => {
    const s = await server();
    const err = await failure(uploadFeedback(https(s), makeEvent({ id: 'ABC' }), [], FAST));
    expect(err).toMatchObject({ attempts: 0, retryable: false });
    expect(s.received).toHaveLength(0);
  });
});

describe('parseFeedbackEndpoint', () => {
  const key = '0123456789abcdef0123456789abcdef';

  it.each([
    [
      `https://${key}@o11.ingest.sentry.io/4507`,
      'https://o11.ingest.sentry.io/api/4507/envelope/',
      'https://o11.ingest.sentry.io/4507',
    ],
    [
      `https://${key}:legacysecret@sentry.example.com:8443/prefix/sub/99/`,
      'https://sentry.example.com:8443/prefix/sub/api/99/envelope/',
      'https://sentry.example.com:8443/prefix/sub/99',
    ],
    [`http://${key}@127.0.0.1:9000/1`, 'http://127.0.0.1:9000/api/1/envelope/', 'http://127.0.0.1:9000/1'],
    [`http://${key}@[::1]:9000/1`, 'http://[::1]:9000/api/1/envelope/', 'http://[::1]:9000/1'],
  ])('reads the Sentry DSN %s', (dsn, envelopeUrl, display) => {
    const target = parseFeedbackEndpoint(`  ${dsn}\n`);
    expect(target).toMatchObject({ kind: 'sentry', envelopeUrl, publicKey: key, display });
    if (target.kind !== 'sentry') throw new Error('not sentry');
    expect(target.dsn).not.toContain('legacysecret');
    expect(target.dsn).toContain(key);
    expect(display).not.toContain(key);
  });

  it('reads plain URLs, keeping the query for the request but not for display', () => {
    expect(parseFeedbackEndpoint('https://feedback.example.com/api/v1/upload?token=s3cret#frag')).toEqual({
      kind: 'https',
      url: 'https://feedback.example.com/api/v1/upload?token=s3cret',
      display: 'https://feedback.example.com/api/v1/upload',
    });
    expect(parseFeedbackEndpoint('http://localhost:8080/fb')).toMatchObject({ kind: 'https' });
  });

  it.each([
    ['', /is empty/],
    ['not a url', /contains spaces/],
    ['garbage', /"garbage" is not a URL: expected a Sentry DSN/],
    ['ftp://files.example.com/up', /uses ftp: feedback is only sent over https/],
    [`http://${key}@sentry.example.com/5`, /plain http to sentry\.example\.com: .*except to this computer/],
    ['http://192.168.1.5:8080/upload', /plain http to 192\.168\.1\.5:8080/],
    [`https://${key}@sentry.example.com/not-a-project`, /is not a Sentry DSN: a DSN ends with the numeric/],
    [`https://${key}@sentry.example.com`, /is not a Sentry DSN/],
    ['https://bob:pa55word@feedback.example.com/up', /has a user name|is not a Sentry DSN/],
    ['https://:pa55word@feedback.example.com/up', /has a password in its address/],
    ['https://bad%20key@sentry.example.com/5', /malformed key/],
  ])('refuses %j', (value, message) => {
    let caught: unknown = null;
    try {
      parseFeedbackEndpoint(value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FeedbackEndpointError);
    const text = (caught as Error).message;
    expect(text).toMatch(message);
    for (const secret of [key, 'pa55word', 'bad%20key']) expect(text).not.toContain(secret);
  });
});
