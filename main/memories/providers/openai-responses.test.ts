import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeModelServer, type FakeModelServerOptions } from '../../test-support/fake-model-server.ts';
import { parseStage1Output, STAGE1_OUTPUT_SCHEMA, STAGE1_SYSTEM_PROMPT } from '../stage1-input.ts';
import { createOpenAIResponsesProvider } from './openai-responses.ts';
import { ProviderError, type ExtractRequest, type MemoryProvider } from './provider.ts';

const KEY = 'sk-test-0123456789abcdefghijklmnop';
const ANSWER = {
  rollout_summary: '# Fixed the build',
  rollout_slug: 'fix_build',
  raw_memory: '---\ntask: fix\n---',
};
const REQ: ExtractRequest = {
  model: 'gpt-5.1-codex-mini',
  system: STAGE1_SYSTEM_PROMPT,
  user: 'Analyze this session…\nrendered conversation: [{"type":"message"}]',
  schema: STAGE1_OUTPUT_SCHEMA,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function setup(
  serverOpts: FakeModelServerOptions = {},
  o: { stream?: boolean; env?: Record<string, string | undefined> } = {},
) {
  const server = await startFakeModelServer({ output: ANSWER, ...serverOpts });
  closers.push(server.close);
  const provider: MemoryProvider = createOpenAIResponsesProvider({
    baseUrl: server.baseUrl,
    apiKeyEnv: 'MY_OPENAI_KEY',
    env: o.env ?? { MY_OPENAI_KEY: KEY },
    ...(o.stream === undefined ? {} : { stream: o.stream }),
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

const USAGE = { input: 1200, cachedInput: 200, output: 300, reasoningOutput: 120, total: 1500 };

describe('OpenAI Responses provider: extract', () => {
  it('streams by default: the seed request shape, deltas concatenated, usage mapped', async () => {
    const { server, provider } = await setup();
    const res = await provider.extract(REQ);

    expect(provider.kind).toBe('openai');
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/v1/responses');
    expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers.accept).toBe('text/event-stream');
    expect(r.body).toEqual({
      model: 'gpt-5.1-codex-mini',
      instructions: STAGE1_SYSTEM_PROMPT,
      input: REQ.user,
      reasoning: { effort: 'low' },
      text: {
        format: {
          type: 'json_schema',
          name: 'memory_extraction',
          schema: STAGE1_OUTPUT_SCHEMA,
          strict: true,
        },
      },
      store: false,
      stream: true,
    });
    expect(JSON.parse(res.text)).toEqual(ANSWER);
    expect(parseStage1Output(res.text).rolloutSlug).toBe('fix_build');
    expect(res.usage).toEqual(USAGE);
  });

  it('non-streaming: the first message item text, usage mapped', async () => {
    const { server, provider } = await setup({}, { stream: false });
    const res = await provider.extract(REQ);
    expect(server.requests[0]!.body?.stream).toBe(false);
    expect(server.requests[0]!.headers.accept).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual(ANSWER);
    expect(res.usage).toEqual(USAGE);
  });

  it('prefers the output_text convenience field when the answer has one', async () => {
    const { provider } = await setup({ outputTextField: '{"from":"output_text"}' }, { stream: false });
    expect((await provider.extract(REQ)).text).toBe('{"from":"output_text"}');
  });

  it('reports null usage when the server sends none', async () => {
    for (const stream of [true, false]) {
      const { provider } = await setup({ usage: null }, { stream });
      expect((await provider.extract(REQ)).usage).toBeNull();
    }
  });

  it('a key that is not set is no_key naming the variable, and nothing is sent', async () => {
    for (const env of [{}, { MY_OPENAI_KEY: '' }]) {
      const { server, provider } = await setup({}, { env });
      const err = await failure(provider.extract(REQ));
      expect(err.code).toBe('no_key');
      expect(err.message).toContain('MY_OPENAI_KEY');
      expect(server.requests).toHaveLength(0);
    }
  });

  it('401 is an http error that points at the variable and never quotes the key', async () => {
    const wrong = 'sk-wrong-9876543210zyxwvutsrqponm';
    const { provider } = await setup({ requireKey: KEY }, { env: { MY_OPENAI_KEY: wrong } });
    const err = await failure(provider.extract(REQ));
    expect(err.code).toBe('http');
    expect(err.status).toBe(401);
    expect(err.message).toContain('answered 401 Unauthorized: Incorrect API key provided');
    expect(err.message).toContain('Check the key in MY_OPENAI_KEY.');
    expect(err.message).not.toContain(wrong);
    expect(err.message).not.toContain('9876543210');
  });

  it('500 is an http error quoting the server message', async () => {
    const { provider } = await setup({ status: 500 });
    const err = await failure(provider.extract(REQ));
    expect(err.code).toBe('http');
    expect(err.status).toBe(500);
    expect(err.message).toMatch(/answered 500 Internal Server Error: 500 from the fake model server/);
  });

  it('a malformed JSON answer from the model surfaces as text (parsing is the caller’s job)', async () => {
    for (const stream of [true, false]) {
      const { provider } = await setup({ output: '{"rollout_summary": "cut off' }, { stream });
      expect((await provider.extract(REQ)).text).toBe('{"rollout_summary": "cut off');
    }
  });

  it('a missing output, a refusal or an incomplete answer is bad_output', async () => {
    for (const stream of [true, false]) {
      for (const malformed of ['no_output', 'refusal', 'incomplete'] as const) {
        const { provider } = await setup({ malformed }, { stream });
        const err = await failure(provider.extract(REQ));
        expect({ stream, malformed, code: err.code }).toEqual({ stream, malformed, code: 'bad_output' });
      }
    }
    const { provider } = await setup({ malformed: 'incomplete' }, { stream: false });
    expect((await failure(provider.extract(REQ))).message).toContain('max_output_tokens');
  });

  it('a body that is not JSON is bad_output; a stream cut before completion is failed', async () => {
    const notJson = await setup({ malformed: 'not_json' }, { stream: false });
    const err = await failure(notJson.provider.extract(REQ));
    expect(err.code).toBe('bad_output');
    expect(err.message).toContain('not JSON');
    const cut = await setup({ malformed: 'cut_stream' });
    const err2 = await failure(cut.provider.extract(REQ));
    expect(err2.code).toBe('failed');
    expect(err2.message).toContain('before the response completed');
  });

  it('times out when the server is slower than the timeout', async () => {
    const { provider } = await setup({ delayMs: 60_000 });
    const err = await failure(provider.extract({ ...REQ, timeoutMs: 25 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/The OpenAI Responses API at 127\.0\.0\.1:\d+ did not finish within 25 ms/);
  });

  it('is cancelled by the caller’s signal, before or during the request', async () => {
    const { server, provider } = await setup({ delayMs: 60_000 });
    const ctrl = new AbortController();
    const pending = provider.extract({ ...REQ, signal: ctrl.signal });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    ctrl.abort();
    const err = await failure(pending);
    expect(err.code).toBe('cancelled');
    expect(err.message).toContain('was cancelled');

    const pre = await failure(provider.extract({ ...REQ, signal: AbortSignal.abort() }));
    expect(pre.code).toBe('cancelled');
    expect(server.requests).toHaveLength(1);
  });

  it('a server that is not there is failed with the reason', async () => {
    const { server, provider } = await setup();
    await server.close();
    const err = await failure(provider.extract(REQ));
    expect(err.code).toBe('failed');
    expect(err.message).toContain('could not be reached: the connection was refused');
  });
});
