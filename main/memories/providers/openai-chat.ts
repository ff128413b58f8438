import { consolidateViaApi } from './api-consolidate.ts';
import { endpointName, postModel, readJsonObject } from './http-call.ts';
import {
  DEFAULT_EXTRACT_TIMEOUT_MS,
  PHASES,
  ProviderError,
  type ExtractRequest,
  type ExtractResult,
  type MemoryProvider,
  type Phase,
  type ProviderEnv,
  type TokenUsage,
} from './provider.ts';

/**
 * Any OpenAI-compatible Chat Completions endpoint (e.g. a local Ollama at `http://127.0.0.1:11434/v1`):
 * a system and a user message with a strict `json_schema` response format. The key is optional: an
 * Authorization header is sent only when `apiKeyEnv` is set and that variable has a value. No reasoning
 * effort is sent (many compatible servers reject or ignore it).
 */
export interface OpenAIChatOptions {
  baseUrl: string;
  apiKeyEnv: string | null;
  env: ProviderEnv;
}

const LABEL = 'The chat completions endpoint';
type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Chat Completions `usage` → TokenUsage (null when absent). */
export function chatUsage(v: unknown): TokenUsage | null {
  const u = obj(v);
  if (!u) return null;
  const input = num(u.prompt_tokens);
  const output = num(u.completion_tokens);
  return {
    input,
    cachedInput: num(obj(u.prompt_tokens_details)?.cached_tokens),
    output,
    reasoningOutput: num(obj(u.completion_tokens_details)?.reasoning_tokens),
    total: typeof u.total_tokens === 'number' ? u.total_tokens : input + output,
  };
}

/** The first choice's message text (string content, or the text parts of an array content). */
export function chatText(resp: Json, what: string): string {
  const choice = obj(Array.isArray(resp.choices) ? resp.choices[0] : undefined);
  const message = obj(choice?.message);
  if (typeof message?.refusal === 'string' && message.refusal)
    throw new ProviderError('bad_output', `The model refused: ${message.refusal}`);
  let text = '';
  if (typeof message?.content === 'string') text = message.content;
  else if (Array.isArray(message?.content))
    for (const p of message.content) {
      const part = obj(p);
      if (typeof part?.text === 'string') text += part.text;
    }
  if (choice?.finish_reason === 'length')
    throw new ProviderError('bad_output', `${what} cut the answer off at the output token limit`);
  if (!text) throw new ProviderError('bad_output', `${what} answered no message text`);
  return text;
}

export function createOpenAIChatProvider(opts: OpenAIChatOptions): MemoryProvider {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const what = endpointName(LABEL, url);

  const call = async (req: ExtractRequest, phase: Phase): Promise<ExtractResult> => {
    const key = opts.apiKeyEnv ? (opts.env[opts.apiKeyEnv] ?? null) : null;
    const keyHint =
      opts.apiKeyEnv === null
        ? 'No key is configured for this endpoint; set the API key environment variable in the memories settings.'
        : key
          ? `Check the key in ${opts.apiKeyEnv}.`
          : `The environment variable ${opts.apiKeyEnv} is not set, so no key was sent.`;
    const body = {
      model: req.model,
      messages: [
        { role: 'system', content: req.system },
        { role: 'user', content: req.user },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: PHASES[phase].schemaName, schema: req.schema, strict: true },
      },
      stream: false,
    };
    return postModel(
      LABEL,
      {
        url,
        body,
        key: key || null,
        keyHint,
        accept: 'application/json',
        signal: req.signal,
        timeoutMs: req.timeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS,
      },
      async (res) => {
        const resp = await readJsonObject(res, what);
        return { text: chatText(resp, what), usage: chatUsage(resp.usage) };
      },
    );
  };

  return {
    kind: 'openai-compatible',
    extract: (req) => call(req, 'extract'),
    consolidate: (req) => consolidateViaApi(req, (r) => call(r, 'consolidate')),
  };
}
