import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeModelServer, type FakeModelServerOptions } from '../../test-support/fake-model-server.ts';
import { STAGE1_OUTPUT_SCHEMA, STAGE1_SYSTEM_PROMPT } from '../stage1-input.ts';
import { createOpenAIChatProvider } from './openai-chat.ts';
import { ProviderError, type ExtractRequest } from './provider.ts';

const ANSWER = { rollout_summary: '', rollout_slug: '', raw_memory: '' };
const REQ: ExtractRequest = {
  model: 'qwen3:8b',
  system: STAGE1_SYSTEM_PROMPT,
  user: 'Analyze this session and produce rollout_summary, rollout_slug and raw_memory as JSON.',
  schema: STAGE1_OUTPUT_SCHEMA,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function setup(
  serverOpts: FakeModelServerOptions = {},
  o: { apiKeyEnv?: string | null; env?: Record<string, string | undefined> } = {},
) {
  const server = await startFakeModelServer({ output: ANSWER, ...serverOpts });
  closers.push(server.close);
  const provider = createOpenAIChatProvider({
    baseUrl: `${server.baseUrl}/`,
    apiKeyEnv: o.apiKeyEnv ?? null,
    env: o.env ?? {},
  });
  return { server, provider };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('OpenAI-compatible chat provider: extract', () => {
  it('posts system + user messages with a strict json_schema response format, no key by default', async () => {
    const { server, provider } = await setup();
    const res = await provider.extract(REQ);

    expect(provider.kind).toBe('openai-compatible');
    const r = server.requests[0]!;
    expect(r.path).toBe('/v1/chat/completions');
    expect(r.headers.authorization).toBeUndefined();
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toEqual({
      model: 'qwen3:8b',
      messages: [
        { role: 'system', content: STAGE1_SYSTEM_PROMPT },
        { role: 'user', content: REQ.user },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'memory_extraction', schema: STAGE1_OUTPUT_SCHEMA, strict: true },
      },
      stream: false,
    });
    expect(JSON.parse(res.text)).toEqual(ANSWER);
    expect(res.usage).toEqual({
      input: 1200,
      cachedInput: 200,
      output: 300,
      reasoningOutput: 120,
      total: 1500,
    });
  });

  it('sends the key only when the variable is configured and set', async () => {
    const set = await setup({}, { apiKeyEnv: 'LOCAL_KEY', env: { LOCAL_KEY: 'local-secret-1' } });
    await set.provider.extract(REQ);
    expect(set.server.requests[0]!.headers.authorization).toBe('Bearer local-secret-1');

    const unset = await setup({}, { apiKeyEnv: 'LOCAL_KEY', env: {} });
    await unset.provider.extract(REQ);
    expect(unset.server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('401 without the key says the variable is not set', async () => {
    const { provider } = await setup({ requireKey: 'local-secret-1' }, { apiKeyEnv: 'LOCAL_KEY', env: {} });
    const err = await failure(provider.extract(REQ));
    expect(err.code).toBe('http');
    expect(err.status).toBe(401);
    expect(err.message).toContain('The environment variable LOCAL_KEY is not set, so no key was sent.');
  });

  it('500 is an http error with the status', async () => {
    const { provider } = await setup({ status: 500, errorBody: '{"error":"model runner crashed"}' });
    const err = await failure(provider.extract(REQ));
    expect(err.code).toBe('http');
    expect(err.status).toBe(500);
    expect(err.message).toContain('answered 500 Internal Server Error: model runner crashed');
  });

  it('a malformed JSON answer surfaces as text; no usage is null', async () => {
    const { provider } = await setup({ output: 'Sure! Here is the JSON: {', usage: null });
    const res = await provider.extract(REQ);
    expect(res).toEqual({ text: 'Sure! Here is the JSON: {', usage: null });
  });

  it('no choice, a refusal, a cut-off answer or a non-JSON body is bad_output', async () => {
    for (const malformed of ['no_output', 'refusal', 'incomplete', 'not_json'] as const) {
      const { provider } = await setup({ malformed });
      const err = await failure(provider.extract(REQ));
      expect({ malformed, code: err.code }).toEqual({ malformed, code: 'bad_output' });
    }
    const empty = await setup({ output: '' });
    expect((await failure(empty.provider.extract(REQ))).message).toContain('no message text');
  });

  it('times out and is cancelled like the Responses provider', async () => {
    const { server, provider } = await setup({ delayMs: 60_000 });
    expect((await failure(provider.extract({ ...REQ, timeoutMs: 20 }))).code).toBe('timeout');
    const ctrl = new AbortController();
    const pending = provider.extract({ ...REQ, signal: ctrl.signal });
    await vi.waitFor(() => expect(server.requests).toHaveLength(2));
    ctrl.abort();
    expect((await failure(pending)).code).toBe('cancelled');
  });
});
