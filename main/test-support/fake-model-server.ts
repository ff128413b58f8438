import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real model server on 127.0.0.1 for tests: it answers the OpenAI Responses API (`POST /v1/responses`,
 * a JSON response, or server-sent events when the request says `stream: true`) and Chat Completions
 * (`POST /v1/chat/completions`) with a canned structured output, and records every request. Options give
 * error statuses, a delay before answering and malformed answers. Self-contained (no imports of our code).
 */

export interface ModelRequest {
  method: string;
  /** Path and query, e.g. `/v1/responses`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, or null when it was not a JSON object. */
  body: Record<string, unknown> | null;
  raw: string;
}

export interface FakeUsage {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
}

export type Malformed =
  /** 200 with a body that is not JSON. */
  | 'not_json'
  /** A completed answer without any message (Responses: only a reasoning item; Chat: no choices). */
  | 'no_output'
  /** Responses: status `incomplete` (max_output_tokens); Chat: finish_reason `length`. */
  | 'incomplete'
  /** A refusal instead of text. */
  | 'refusal'
  /** Streaming: the events stop before `response.completed`. */
  | 'cut_stream';

export interface FakeModelServerOptions {
  /** The model's answer: text as is, anything else as its JSON. A function sees the request. */
  output?: unknown;
  /** Default {input: 1200, cached: 200, output: 300, reasoning: 120}; null sends no usage. */
  usage?: FakeUsage | null;
  /** Answer every request with this status (and `errorBody`, default OpenAI's error shape). */
  status?: number;
  errorBody?: string;
  /** Wait this long before answering (for timeouts and cancels). */
  delayMs?: number;
  malformed?: Malformed;
  /** Responses: also send the `output_text` convenience field (with this text, or the output). */
  outputTextField?: boolean | string;
  /** Answer 401 unless `Authorization: Bearer <requireKey>` — quoting the key it got, like a careless server. */
  requireKey?: string;
}

export interface FakeModelServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/v1`, the providers' base URL. */
  baseUrl: string;
  requests: ModelRequest[];
  close(): Promise<void>;
}

export const DEFAULT_FAKE_USAGE: FakeUsage = { input: 1200, cached: 200, output: 300, reasoning: 120 };

export async function startFakeModelServer(opts: FakeModelServerOptions = {}): Promise<FakeModelServer> {
  const requests: ModelRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | null = null;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('error', () => {});
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | null = null;
      try {
        const v = JSON.parse(raw) as unknown;
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) body = v as Record<string, unknown>;
      } catch {
        // recorded as null
      }
      const rec: ModelRequest = {
        method: req.method ?? '',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        raw,
      };
      requests.push(rec);
      const answer = (): void => respond(res, rec, opts);
      if (opts.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, opts.delayMs);
        timers.add(t);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
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

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  if (res.destroyed) return;
  res.on('error', () => {});
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

const openAIError = (message: string, code: string): string =>
  JSON.stringify({ error: { message, type: 'invalid_request_error', code } });

function respond(res: ServerResponse, rec: ModelRequest, opts: FakeModelServerOptions): void {
  if (rec.method !== 'POST') return send(res, 405, openAIError('method not allowed', 'method'));
  if (opts.requireKey !== undefined) {
    const auth = String(rec.headers.authorization ?? '');
    if (auth !== `Bearer ${opts.requireKey}`) {
      const got = auth.replace(/^Bearer /, '') || '(none)';
      return send(res, 401, openAIError(`Incorrect API key provided: ${got}.`, 'invalid_api_key'));
    }
  }
  if (opts.status !== undefined)
    return send(
      res,
      opts.status,
      opts.errorBody ?? openAIError(`${opts.status} from the fake model server`, 'fake'),
    );
  if (opts.malformed === 'not_json') return send(res, 200, 'upstream hiccup: <html>oops</html>');
  const out =
    typeof opts.output === 'function' ? (opts.output as (r: ModelRequest) => unknown)(rec) : opts.output;
  const text = typeof out === 'string' ? out : JSON.stringify(out ?? {});
  const usage = opts.usage === undefined ? DEFAULT_FAKE_USAGE : opts.usage;
  const path = rec.path.split('?')[0];
  if (path === '/v1/responses') {
    if (rec.body?.stream === true) return streamResponse(res, text, usage, opts);
    return send(res, 200, JSON.stringify(responseObject(text, usage, opts)));
  }
  if (path === '/v1/chat/completions') return send(res, 200, JSON.stringify(chatObject(text, usage, opts)));
  send(res, 404, openAIError(`no route ${rec.path}`, 'not_found'));
}

const responsesUsage = (u: FakeUsage) => ({
  input_tokens: u.input,
  input_tokens_details: { cached_tokens: u.cached },
  output_tokens: u.output,
  output_tokens_details: { reasoning_tokens: u.reasoning },
  total_tokens: u.input + u.output,
});

const reasoningItem = { type: 'reasoning', id: 'rs_1', summary: [] };
const messageItem = (text: string, malformed: Malformed | undefined) => ({
  type: 'message',
  id: 'msg_1',
  role: 'assistant',
  status: 'completed',
  content:
    malformed === 'refusal'
      ? [{ type: 'refusal', refusal: 'I cannot help with that.' }]
      : [{ type: 'output_text', text, annotations: [] }],
});

function responseObject(text: string, usage: FakeUsage | null, opts: FakeModelServerOptions) {
  const m = opts.malformed;
  return {
    id: 'resp_1',
    object: 'response',
    status: m === 'incomplete' ? 'incomplete' : 'completed',
    ...(m === 'incomplete' ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
    output: m === 'no_output' ? [reasoningItem] : [reasoningItem, messageItem(text, m)],
    ...(opts.outputTextField
      ? { output_text: opts.outputTextField === true ? text : opts.outputTextField }
      : {}),
    ...(usage ? { usage: responsesUsage(usage) } : {}),
  };
}

function streamResponse(
  res: ServerResponse,
  text: string,
  usage: FakeUsage | null,
  opts: FakeModelServerOptions,
): void {
  res.on('error', () => {});
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const event = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  const m = opts.malformed;
  event('response.created', { response: { id: 'resp_1', status: 'in_progress' } });
  event('response.output_item.done', { output_index: 0, item: reasoningItem });
  if (m !== 'no_output') {
    const item = messageItem(text, m);
    event('response.output_item.added', { output_index: 1, item: { ...item, content: [] } });
    if (m !== 'refusal') {
      const third = Math.ceil(text.length / 3);
      for (let i = 0; i < text.length; i += third)
        event('response.output_text.delta', { output_index: 1, delta: text.slice(i, i + third) });
    }
    if (m === 'cut_stream') return void res.end();
    event('response.output_item.done', { output_index: 1, item });
  }
  event(m === 'incomplete' ? 'response.incomplete' : 'response.completed', {
    response: responseObject(text, usage, opts),
  });
  res.end();
}

function chatObject(text: string, usage: FakeUsage | null, opts: FakeModelServerOptions) {
  const m = opts.malformed;
  const message =
    m === 'refusal'
      ? { role: 'assistant', content: null, refusal: 'I cannot help with that.' }
      : { role: 'assistant', content: text };
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices:
      m === 'no_output' ? [] : [{ index: 0, message, finish_reason: m === 'incomplete' ? 'length' : 'stop' }],
    ...(usage
      ? {
          usage: {
            prompt_tokens: usage.input,
            prompt_tokens_details: { cached_tokens: usage.cached },
            completion_tokens: usage.output,
            completion_tokens_details: { reasoning_tokens: usage.reasoning },
            total_tokens: usage.input + usage.output,
          },
        }
      : {}),
  };
}
