import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channels, methods, type Channel } from '../../preload/contract/index.ts';
import { createAppCore, type AppCore } from '../app/app-core.ts';
import { startServeShell, type ServeShell } from '../serve/serve-shell.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';

/**
 * Every contract method, over both transports, fed payloads that its schema refuses: wrong types, missing
 * and extra keys, huge strings, prototype-pollution keys, NaN/Infinity, arrays for objects, deep nesting.
 * Each must come back as INVALID_INPUT (or, over HTTP, the shell's 4xx for a body that is not JSON):
 * never INTERNAL, never a 500, never a crash, never a polluted Object prototype.
 */

const ctx = { transport: 'test' } as const;
const TOKEN = 'b'.repeat(64);
const THREAD = '019c0000-0000-7000-8000-0000000000a1';
const FEEDBACK = 'a'.repeat(32);

/** A valid input per method with required fields, so each field can be broken on its own. */
const VALID: Partial<Record<Channel, Record<string, unknown>>> = {
  'threads:get': { id: THREAD },
  'threads:relatives': { id: THREAD },
  'threads:archive': { id: THREAD },
  'threads:unarchive': { id: THREAD },
  'threads:updateMetadata': { id: THREAD, gitBranch: 'main' },
  'threads:exportMarkdown': { id: THREAD },
  'threads:saveExport': { id: THREAD },
  'transcript:page': { id: THREAD, offset: 0, limit: 10 },
  'transcript:outline': { id: THREAD },
  'transcript:find': { id: THREAD, query: 'x' },
  'search:query': { query: 'x' },
  'logs:status': { source: 'app' },
  'logs:query': { source: 'app', filter: { minLevel: 'INFO' } },
  'logs:tail': { source: 'app', afterId: 0 },
  'logs:histogram': { source: 'codex' },
  'feedback:draft': { classification: 'bug' },
  'feedback:partText': { draftId: 'd', partId: 'p', offset: 0 },
  'feedback:send': { draftId: 'd' },
  'feedback:retry': { id: FEEDBACK },
  'feedback:remove': { id: FEEDBACK },
  'feedback:reveal': { id: FEEDBACK },
  'memories:output': { threadId: THREAD },
  'memories:readFile': { path: 'MEMORY.md' },
  'memories:setThreadMode': { threadId: THREAD, mode: 'enabled' },
  'memories:updateSettings': { max_unused_days: 3 },
};

/** Nested objects and arrays as JSON text (JSON.stringify itself would overflow the stack on the way out). */
function deepText(depth: number): string {
  let v = '1';
  for (let i = 0; i < depth; i++) v = i % 2 ? `[${v}]` : `{"a":${v}}`;
  return v;
}
const deep = (depth: number): unknown => JSON.parse(deepText(depth));

/** Past every `max()` of the contract (the longest is 20,000), well inside the shell's 1 MB body limit. */
const HUGE = 'x'.repeat(100_000);
const WRONG: unknown[] = [
  null,
  0,
  -1,
  0.5,
  1e308,
  'x',
  '',
  HUGE,
  true,
  [],
  [1, 'a'],
  {},
  { a: 1 },
  deep(2_000),
];
// JSON has no NaN or Infinity: the router sees them, the HTTP shell sees bodies that are not JSON.
const NOT_JSON = [NaN, Infinity, -Infinity];

/** What a caller sends: a value (the router) or a body (HTTP; `raw` is sent as it is). */
interface Payload {
  label: string;
  value?: unknown;
  raw?: string;
}

function payloadsFor(channel: Channel): Payload[] {
  const schema = methods[channel].input;
  const base = VALID[channel] ?? {};
  const out: Payload[] = [];
  // The router reads a missing (or null) input as `{}`, which is valid for methods without required fields.
  const refused = (value: unknown): boolean => !schema.safeParse(value ?? {}).success;
  const add = (label: string, value: unknown): void => {
    if (refused(value)) out.push({ label, value });
  };
  for (const w of [...WRONG, ...NOT_JSON]) add(`input ${String(w).slice(0, 20)}`, w);
  add('array for the object', [base]);
  add('extra key', { ...base, zzz: 1 });
  for (const key of Object.keys(base)) {
    const { [key]: _dropped, ...rest } = base;
    add(`missing ${key}`, rest);
  }
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : {};
  for (const key of Object.keys(shape)) {
    for (const w of [...WRONG, ...NOT_JSON]) add(`${key} = ${String(w).slice(0, 20)}`, { ...base, [key]: w });
    add(`${key} as a huge array`, { ...base, [key]: Array.from({ length: 10_000 }, () => 'x') });
  }
  // Own `__proto__` / `constructor` keys, as JSON.parse makes them from a request body; deep nesting.
  const json = JSON.stringify(base).slice(1, -1);
  const sep = json ? ',' : '';
  for (const raw of [
    `{${json}${sep}"nested":${deepText(10_000)}}`,
    deepText(10_000),
    `{${json}${sep}"__proto__":{"polluted":1}}`,
    `{${json}${sep}"constructor":{"prototype":{"polluted":1}}}`,
    `{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}`,
  ]) {
    const value: unknown = JSON.parse(raw);
    if (refused(value)) out.push({ label: `raw ${raw.slice(0, 20)}…${raw.slice(-30)}`, value, raw });
  }
  return out;
}

const home = makeTempDir();
const data = makeTempDir();
const rendererDir = makeTempDir();
let core: AppCore;
let shell: ServeShell;
const plan = channels.map((channel) => ({ channel, payloads: payloadsFor(channel) }));
const counts = { router: 0, http: 0 };
/** What the shell reports as unexpected (its 500s). */
const serverErrors: unknown[] = [];

beforeAll(async () => {
  core = await createAppCore({ codexHome: home.dir, dataDir: data.dir, shell: 'test', watch: false });
  await core.start();
  shell = await startServeShell({
    router: core.router,
    bus: core.bus,
    rendererDir: rendererDir.dir,
    token: TOKEN,
    onError: (err) => serverErrors.push(err),
  });
});

afterAll(async () => {
  await shell?.close();
  await core?.close();
  for (const d of [home, data, rendererDir]) d.cleanup();
  console.log(
    `invalid payloads: ${counts.router} through the router, ${counts.http} over HTTP, ${channels.length} methods`,
  );
});

function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
}

describe('invalid payloads for every contract method', () => {
  it('every method gets at least a dozen payloads its schema refuses', () => {
    expect(plan.length).toBe(channels.length);
    for (const { channel, payloads } of plan) {
      if (VALID[channel])
        expect(methods[channel].input.safeParse(VALID[channel]).success, channel).toBe(true);
      expect(payloads.length, channel).toBeGreaterThanOrEqual(12);
    }
  });

  it('through the router: INVALID_INPUT, never INTERNAL', async () => {
    const wrong: string[] = [];
    for (const { channel, payloads } of plan) {
      for (const p of payloads) {
        const env = await core.router.dispatch(channel, p.value, ctx);
        counts.router++;
        if (env.ok || env.error.code !== 'INVALID_INPUT')
          wrong.push(`${channel} ${p.label}: ${JSON.stringify(env).slice(0, 200)}`);
      }
    }
    for (const channel of [
      '__proto__',
      'constructor',
      'toString',
      'threads:__proto__',
      'threads:constructor',
    ]) {
      const env = await core.router.dispatch(channel, {}, ctx);
      counts.router++;
      if (env.ok || env.error.code !== 'UNKNOWN_CHANNEL') wrong.push(`${channel}: ${JSON.stringify(env)}`);
    }
    expect(wrong).toEqual([]);
    expectNoPollution();
  });

  it('over the HTTP serve shell: an INVALID_INPUT envelope (4xx for a body that is not JSON), never a 500', async () => {
    const post = async (channel: string, body: string): Promise<{ status: number; json: unknown }> => {
      const res = await fetch(`${shell.url.split('/?')[0]}/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body,
      });
      counts.http++;
      return { status: res.status, json: await res.json().catch(() => null) };
    };
    const wrong: string[] = [];
    const check = (what: string, r: { status: number; json: unknown }, code = 'INVALID_INPUT'): void => {
      const env = r.json as { ok?: boolean; error?: { code?: string } } | null;
      const okStatus = r.status === 200 || (r.status >= 400 && r.status < 500);
      if (!okStatus || env?.ok !== false || env.error?.code !== code)
        wrong.push(`${what}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
    };
    for (const { channel, payloads } of plan) {
      const schema = methods[channel].input;
      for (const p of payloads) {
        const body = p.raw ?? JSON.stringify(p.value);
        // NaN and Infinity turn into null in JSON, which some fields accept: those are sent below as raw text.
        if (schema.safeParse(JSON.parse(body) ?? {}).success) continue;
        check(`${channel} ${p.label}`, await post(channel, body));
      }
      for (const raw of ['NaN', 'Infinity', '{"limit":NaN}', '{', '{"a":1}}', "{'a':1}", '\u0000', '[1,]'])
        check(`${channel} body ${raw}`, await post(channel, raw));
    }
    for (const channel of ['app:info', 'threads:list', 'memories:readFile'])
      check(
        `${channel} body over the size limit`,
        await post(channel, JSON.stringify({ q: 'x'.repeat(1_100_000) })),
      );
    for (const channel of ['__proto__', 'constructor', 'hasOwnProperty', '%E0%A4%A', '..%2F..%2Fetc'])
      check(`channel ${channel}`, await post(channel, '{}'), 'UNKNOWN_CHANNEL');
    expect(wrong).toEqual([]);
    expect(serverErrors).toEqual([]);
    expectNoPollution();
    // The shell still answers normally afterwards.
    const info = await post('app:info', '{}');
    expect(info.status).toBe(200);
    expect((info.json as { ok: boolean }).ok).toBe(true);
  });
});
