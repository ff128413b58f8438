import { STATUS_CODES } from 'node:http';
import { redactText } from '../../feedback/redact.ts';
import { ProviderError, startDeadline } from './provider.ts';

/** One POST of a JSON body to a model endpoint (OpenAI Responses or Chat Completions). */
export interface HttpCall {
  url: string;
  body: unknown;
  /** Bearer key, or null to send no Authorization header. Masked out of anything quoted back. */
  key: string | null;
  /** Said after a 401/403, e.g. `Check the key in OPENAI_API_KEY.` */
  keyHint: string;
  /** `text/event-stream` for a streamed answer. */
  accept: string;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

const SNIPPET_CHARS = 300;

/** `The OpenAI API at api.openai.com` style subject of the messages. */
export function endpointName(label: string, url: string): string {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the text
  }
  return `${label} at ${host}`;
}

/**
 * Sends the call and hands the successful response to `consume` (still under the timeout and the caller's
 * signal). Maps every failure to a ProviderError: no answer → `failed`, non-2xx → `http` with the server's
 * own message (key masked), timeout → `timeout`, abort → `cancelled`.
 */
export async function postModel<T>(
  label: string,
  call: HttpCall,
  consume: (res: Response) => Promise<T>,
): Promise<T> {
  const what = endpointName(label, call.url);
  const deadline = startDeadline(call.signal, call.timeoutMs);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: call.accept,
    'user-agent': 'Threadscope',
  };
  if (call.key) headers.authorization = `Bearer ${call.key}`;
  try {
    if (deadline.reason()) throw deadline.error(what);
    const res = await fetch(call.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(call.body),
      signal: deadline.signal,
      redirect: 'error',
    });
    if (res.status < 200 || res.status >= 300) {
      const text = await res.text();
      throw statusError(what, res.status, text, call);
    }
    return await consume(res);
  } catch (err) {
    if (deadline.reason()) throw deadline.error(what);
    if (err instanceof ProviderError) throw err;
    throw new ProviderError('failed', `${what} could not be reached: ${networkReason(err)}`, {
      cause: err,
    });
  } finally {
    deadline.dispose();
  }
}

/** Quoted server text with the key masked and anything secret-looking redacted. */
export function safeSnippet(text: string, key: string | null): string {
  let s = text;
  if (key) s = s.split(key).join('***');
  s = redactText(s, null).text.replace(/\s+/g, ' ').trim();
  return s.length > SNIPPET_CHARS ? `${s.slice(0, SNIPPET_CHARS)}…` : s;
}

function serverMessage(body: string): string {
  try {
    const v = JSON.parse(body) as unknown;
    if (typeof v === 'object' && v !== null) {
      const e = (v as { error?: unknown; message?: unknown; detail?: unknown }).error;
      if (typeof e === 'string') return e;
      if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
        return (e as { message: string }).message;
      const m = (v as { message?: unknown }).message ?? (v as { detail?: unknown }).detail;
      if (typeof m === 'string') return m;
    }
  } catch {
    // not JSON: quote the text
  }
  return body;
}

function statusError(what: string, status: number, body: string, call: HttpCall): ProviderError {
  const reason = STATUS_CODES[status] ?? '';
  const quoted = safeSnippet(serverMessage(body), call.key);
  let hint = '';
  if (status === 401 || status === 403) hint = ` ${call.keyHint}`;
  else if (status === 404) hint = ' Check the base URL and the model name.';
  else if (status === 429) hint = ' The account is rate-limited or out of quota.';
  const said = quoted.replace(/\.$/, '');
  const text = `${what} answered ${status}${reason ? ` ${reason}` : ''}${said ? `: ${said}` : ''}.${hint}`;
  return new ProviderError('http', text, { status });
}

function networkReason(err: unknown): string {
  const cause =
    err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  if (code === 'ECONNREFUSED') return 'the connection was refused (is the server running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name could not be resolved';
  if (code) return code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** The body as a JSON object, or `bad_output` naming what came instead. */
export async function readJsonObject(res: Response, what: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ProviderError(
      'bad_output',
      `${what} answered something that is not JSON: ${safeSnippet(text, null).slice(0, 120) || '(empty)'}`,
    );
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ProviderError('bad_output', `${what} answered JSON that is not an object`);
  return v as Record<string, unknown>;
}

/** Server-sent events of a streamed answer: `{event, data}` per blank-line-terminated block. */
export async function* readSse(res: Response): AsyncGenerator<{ event: string; data: string }> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buf = '';
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    buf += done ? decoder.decode() : decoder.decode(value, { stream: true });
    buf = buf.replace(/\r\n/g, '\n');
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
    if (done) return;
  }
}
