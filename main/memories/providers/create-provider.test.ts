import { afterEach, describe, expect, it } from 'vitest';
import { createFakeCodex } from '../../test-support/fake-codex.ts';
import { startFakeModelServer } from '../../test-support/fake-model-server.ts';
import { MemoriesProvider } from '../../settings/memories-settings.ts';
import { STAGE1_OUTPUT_SCHEMA } from '../stage1-input.ts';
import { createProvider } from './create-provider.ts';
import { ProviderError, type ExtractRequest } from './provider.ts';

const REQ: ExtractRequest = { model: 'm', system: 'sys', user: 'user', schema: STAGE1_OUTPUT_SCHEMA };
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('createProvider (settings + env)', () => {
  it('codex-cli: runs the configured command found on the env’s PATH', async () => {
    const codex = createFakeCodex({ lastMessage: '{"ok":true}' }, 'my-codex');
    cleanups.push(codex.cleanup);
    const provider = createProvider(
      MemoriesProvider.parse({ kind: 'codex-cli', command: 'my-codex' }),
      codex.env(),
    );
    expect(provider.kind).toBe('codex-cli');
    expect((await provider.extract(REQ)).text).toBe('{"ok":true}');
    expect(codex.calls()).toHaveLength(1);
  });

  it('openai: the key comes from the env variable the settings name (default OPENAI_API_KEY)', async () => {
    const server = await startFakeModelServer({ output: { ok: 1 } });
    cleanups.push(server.close);
    const settings = MemoriesProvider.parse({ kind: 'openai', baseUrl: server.baseUrl });
    const missing = await createProvider(settings, {})
      .extract(REQ)
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ProviderError);
    expect((missing as ProviderError).code).toBe('no_key');
    expect((missing as ProviderError).message).toContain('OPENAI_API_KEY');

    const provider = createProvider(settings, { OPENAI_API_KEY: 'sk-from-env' });
    expect(provider.kind).toBe('openai');
    expect((await provider.extract(REQ)).text).toBe('{"ok":1}');
    expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/v1/responses', 'Bearer sk-from-env'],
    ]);
  });

  it('openai-compatible: chat completions at the base URL, no key needed', async () => {
    const server = await startFakeModelServer({ output: { ok: 2 } });
    cleanups.push(server.close);
    const provider = createProvider(
      MemoriesProvider.parse({ kind: 'openai-compatible', baseUrl: server.baseUrl }),
      {},
    );
    expect(provider.kind).toBe('openai-compatible');
    expect((await provider.extract(REQ)).text).toBe('{"ok":2}');
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
  });
});
