import { describe, expect, it } from 'vitest';
import { channels, methods } from '../../preload/contract/index.ts';
import { AppError } from '../core/app-error.ts';
import { createAppCore } from '../app/app-core.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { createRouter, type Handlers } from './router.ts';

const ctx = { transport: 'test' } as const;

async function withCore<T>(fn: (core: Awaited<ReturnType<typeof createAppCore>>) => Promise<T>): Promise<T> {
  const home = makeTempDir();
  const data = makeTempDir();
  const core = await createAppCore({ codexHome: home.dir, dataDir: data.dir, shell: 'test', watch: false });
  try {
    return await fn(core);
  } finally {
    await core.close();
    home.cleanup();
    data.cleanup();
  }
}

describe('contract completeness', () => {
  it('derives channel names as domain:method from the contract', () => {
    expect(channels.length).toBeGreaterThan(5);
    for (const c of channels) expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/);
    expect(new Set(channels).size).toBe(channels.length);
  });

  it('the composed app has exactly one handler per contract method', async () => {
    await withCore(async (core) => {
      expect(Object.keys(core.handlers).sort()).toEqual([...channels].sort());
    });
  });

  it('every handler output of an empty home matches its contract schema', async () => {
    await withCore(async (core) => {
      await core.start();
      const samples: Record<string, unknown> = {
        'app:info': {},
        'threads:list': {},
        'threads:facets': {},
        'ingest:status': {},
        'ingest:problems': {},
        'ingest:rescan': {},
      };
      for (const [channel, input] of Object.entries(samples)) {
        const env = await core.router.dispatch(channel, input, ctx);
        expect(env.ok, channel).toBe(true);
        if (env.ok)
          expect(
            () => methods[channel as keyof typeof methods].output.parse(env.value),
            channel,
          ).not.toThrow();
      }
    });
  });
});

describe('router envelope', () => {
  const handlers = {
    'app:info': () => ({
      name: 'x',
      version: '1',
      shell: 'test',
      codexHome: '/c',
      dataDir: '/d',
      platform: 'linux',
    }),
    'threads:get': ({ id }: { id: string }) => {
      throw new AppError('NOT_FOUND', `No thread ${id}`);
    },
    'threads:list': () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    },
    'threads:facets': () => {
      throw new Error('boom');
    },
  } as unknown as Handlers;
  const router = createRouter(handlers);

  it('wraps values as {ok:true,value}', async () => {
    expect(await router.dispatch('app:info', {}, ctx)).toMatchObject({ ok: true, value: { name: 'x' } });
  });

  it('rejects unknown channels and invalid input before any handler runs', async () => {
    expect(await router.dispatch('threads:drop', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(await router.dispatch(42, {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    const bad = await router.dispatch('threads:get', { id: 'not-a-uuid' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(bad.ok ? [] : bad.error.details).toEqual(['id: not a thread id (UUID)']);
    const extra = await router.dispatch('threads:list', { limit: 5, dropTables: true }, ctx);
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await router.dispatch('threads:list', { limit: 10_000 }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('maps AppError, SQLITE_BUSY and unexpected errors to codes', async () => {
    expect(
      await router.dispatch('threads:get', { id: '00000000-0000-7000-8000-000000000001' }, ctx),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No thread 00000000-0000-7000-8000-000000000001' },
    });
    expect(await router.dispatch('threads:list', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'DB_BUSY' },
    });
    expect(await router.dispatch('threads:facets', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    });
  });

  it('survives structured cloning of its envelopes (Electron IPC semantics)', async () => {
    const env = await router.dispatch('app:info', {}, ctx);
    expect(structuredClone(env)).toEqual(env);
  });
});
