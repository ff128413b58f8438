import { consolidateViaApi } from './api-consolidate.ts';
import { endpointName, postModel, readJsonObject, readSse } from './http-call.ts';
import {
  DEFAULT_EXTRACT_TIMEOUT_MS,
  PHASES,
  ProviderError,
  type Phase,
  type ExtractRequest,
  type ExtractResult,
  type MemoryProvider,
  type ProviderEnv,
  type TokenUsage,
} from './provider.ts';

/**
 * The OpenAI Responses API provider (seed §5.8 step 5): `instructions` = system prompt, `input` = the user
 * message, strict JSON-schema output, low reasoning effort for phase 1 (medium for phase 2), `store: false`.
 * Streams by default like Codex (output-text deltas); a plain JSON answer is read too.
 */
export interface OpenAIResponsesOptions {
  baseUrl: string;
  /** The environment variable holding the key (read at each call, never stored). */
  apiKeyEnv: string;
  env: ProviderEnv;
  /** Ask for a streamed answer (default true). */
  stream?: boolean;
}

const LABEL = 'The OpenAI Responses API';
type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Responses `usage` → TokenUsage (null when absent). */
export function responsesUsage(v: unknown): TokenUsage | null {
  const u = obj(v);
  if (!u) return null;
  const input = num(u.input_tokens);
  const output = num(u.output_tokens);
  return {
    input,
    cachedInput: num(obj(u.input_tokens_details)?.cached_tokens),
    output,
    reasoningOutput: num(obj(u.output_tokens_details)?.reasoning_tokens),
    total: typeof u.total_tokens === 'number' ? u.total_tokens : input + output,
  };
}

/** The text of a `message` output item (its output_text parts); a refusal is `bad_output`. */
function messageText(item: Json): string {
  const parts = Array.isArray(item.content) ? item.content : [];
  let text = '';
  for (const p of parts) {
    const part = obj(p);
    if (part?.type === 'output_text' && typeof part.text === 'string') text += part.text;
    else if (part?.type === 'refusal')
      throw new ProviderError('bad_output', `The model refused: ${String(part.refusal ?? '')}`.trim());
  }
  return text;
}

/** Seed §5.8 step 6 on a whole response: `output_text` if present, else the first message item's text. */
export function responseText(resp: Json): string | null {
  if (typeof resp.output_text === 'string' && resp.output_text !== '') return resp.output_text;
  const output = Array.isArray(resp.output) ? resp.output : [];
  const first = output.map(obj).find((i) => i?.type === 'message');
  return first ? messageText(first) : null;
}

/** A final response's status: failed → `failed`, incomplete → `bad_output`. */
function checkStatus(resp: Json): void {
  if (resp.status === 'failed') {
    const msg = obj(resp.error)?.message;
    throw new ProviderError(
      'failed',
      `The model failed: ${typeof msg === 'string' ? msg : 'no reason given'}`,
    );
  }
  if (resp.status === 'incomplete') {
    const reason = obj(resp.incomplete_details)?.reason;
    throw new ProviderError(
      'bad_output',
      `The answer is incomplete (${typeof reason === 'string' ? reason : 'no reason given'})`,
    );
  }
}

const noOutput = (what: string): ProviderError =>
  new ProviderError('bad_output', `${what} answered no output text`);

async function readJsonAnswer(res: Response, what: string): Promise<ExtractResult> {
  const resp = await readJsonObject(res, what);
  checkStatus(resp);
  const text = responseText(resp);
  if (!text) throw noOutput(what);
  return { text, usage: responsesUsage(resp.usage) };
}

/** Seed §5.8 step 6 on a stream: deltas, else the first completed message item, until `completed`. */
async function readStreamAnswer(res: Response, what: string): Promise<ExtractResult> {
  let deltas = '';
  let firstMessage: string | null = null;
  for await (const ev of readSse(res)) {
    if (ev.data === '[DONE]') break;
    let data: Json | null;
    try {
      data = obj(JSON.parse(ev.data));
    } catch {
      throw new ProviderError('bad_output', `${what} sent an event that is not JSON`);
    }
    if (!data) continue;
    const type = typeof data.type === 'string' ? data.type : ev.event;
    if (type === 'response.output_text.delta' && typeof data.delta === 'string') deltas += data.delta;
    else if (type === 'response.output_item.done' && firstMessage === null) {
      const item = obj(data.item);
      if (item?.type === 'message') firstMessage = messageText(item);
    } else if (
      type === 'response.completed' ||
      type === 'response.failed' ||
      type === 'response.incomplete'
    ) {
      const resp = obj(data.response) ?? {};
      checkStatus({ status: type.slice('response.'.length), ...resp });
      const text = deltas || firstMessage || responseText(resp);
      if (!text) throw noOutput(what);
      return { text, usage: responsesUsage(resp.usage) };
    } else if (type === 'error') {
      const msg = data.message ?? obj(data.error)?.message;
      throw new ProviderError('failed', `${what} reported an error: ${String(msg ?? 'no reason given')}`);
    }
  }
  throw new ProviderError('failed', `${what} ended the answer stream before the response completed`);
}

export function createOpenAIResponsesProvider(opts: OpenAIResponsesOptions): MemoryProvider {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const url = `${base}/responses`;
  const what = endpointName(LABEL, url);
  const stream = opts.stream ?? true;

  const call = async (req: ExtractRequest, phase: Phase): Promise<ExtractResult> => {
    const key = opts.env[opts.apiKeyEnv];
    if (!key)
      throw new ProviderError(
        'no_key',
        `The OpenAI provider reads its API key from the environment variable ${opts.apiKeyEnv}, which is not set`,
      );
    const body = {
      model: req.model,
      instructions: req.system,
      input: req.user,
      reasoning: { effort: PHASES[phase].effort },
      text: {
        format: { type: 'json_schema', name: PHASES[phase].schemaName, schema: req.schema, strict: true },
      },
      store: false,
      stream,
    };
    return postModel(
      LABEL,
      {
        url,
        body,
        key,
        keyHint: `Check the key in ${opts.apiKeyEnv}.`,
        accept: stream ? 'text/event-stream' : 'application/json',
        signal: req.signal,
        timeoutMs: req.timeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS,
      },
      (res) =>
        (res.headers.get('content-type') ?? '').includes('text/event-stream')
          ? readStreamAnswer(res, what)
          : readJsonAnswer(res, what),
    );
  };

  return {
    kind: 'openai',
    extract: (req) => call(req, 'extract'),
    consolidate: (req) => consolidateViaApi(req, (r) => call(r, 'consolidate')),
  };
}
