import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, Envelope, Input } from '../../preload/contract/index.ts';
import type { AppCore } from '../app/app-core.ts';
import { startFeedbackServer } from '../test-support/feedback-server.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import {
  harness,
  ID,
  metaLine,
  sessionPath,
  userLine,
  writeSession,
  type Harness,
} from '../threads/thread-actions-test-kit.ts';

/**
 * Paths that would lead out of the memory root, CODEX_HOME or the feedback folder (traversal, absolute
 * paths, symlinks, tampered manifests) are refused with FORBIDDEN / INVALID_INPUT / NOT_FOUND, and
 * nothing outside is read into a response, moved or written.
 */

const ctx = { transport: 'test' } as const;
const SECRET = 'TOP-SECRET-outside-the-root';
const ID2 = '019c0000-0000-7000-8000-0000000000b2';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(): Harness & { outside: string } {
  const h = harness(() => ({ ingest: null, extract: null }));
  const outside = makeTempDir('threadscope-outside-');
  cleanups.push(h.cleanup, outside.cleanup);
  return { ...h, outside: outside.dir };
}

async function call<C extends Channel>(c: AppCore, channel: C, input: Input<C>): Promise<Envelope<unknown>> {
  return c.router.dispatch(channel, input, ctx);
}

function codeOf(env: Envelope<unknown>): string {
  return env.ok ? 'ok' : env.error.code;
}

/** Every file under `dir` with its bytes and mtime, to show nothing there changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = join(dir, name);
    const st = statSync(p);
    out[name] = st.isFile() ? `${st.mtimeMs} ${readFileSync(p, 'base64')}` : 'dir';
  }
  return out;
}

const rollout = (id = ID): string => metaLine(id) + userLine('fix the parser');

describe('the memory root', () => {
  it('memories:readFile refuses traversal, absolute paths and symlinks out of the root', async () => {
    const { data, outside, core } = setup();
    const root = join(data, 'memories');
    mkdirSync(join(root, 'rollout_summaries'), { recursive: true });
    writeFileSync(join(root, 'MEMORY.md'), '# memory');
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    writeFileSync(join(data, 'secret.txt'), SECRET);
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.md'));
    symlinkSync(outside, join(root, 'linked-dir'));
    symlinkSync(join(data, 'secret.txt'), join(root, 'rollout_summaries', 'up.md'));
    const before = snapshot(outside);
    const c = await core();

    const ok = await call(c, 'memories:readFile', { path: 'MEMORY.md' });
    expect(ok.ok && (ok.value as { text: string }).text).toBe('# memory');
    const expected: [string, string][] = [
      ['../secret.txt', 'INVALID_INPUT'],
      ['rollout_summaries/../../secret.txt', 'INVALID_INPUT'],
      ['..\\secret.txt', 'INVALID_INPUT'],
      ['..', 'INVALID_INPUT'],
      ['/etc/passwd', 'INVALID_INPUT'],
      [join(outside, 'secret.txt'), 'INVALID_INPUT'],
      ['', 'INVALID_INPUT'],
      ['a/'.repeat(600), 'INVALID_INPUT'],
      ['link.md', 'FORBIDDEN'],
      ['linked-dir/secret.txt', 'FORBIDDEN'],
      ['linked-dir', 'FORBIDDEN'],
      ['rollout_summaries/up.md', 'FORBIDDEN'],
      ['%2e%2e/secret.txt', 'NOT_FOUND'],
      ['secret.txt\u0000.md', 'NOT_FOUND'],
      ['missing.md', 'NOT_FOUND'],
    ];
    const got: [string, string][] = [];
    for (const [path] of expected) {
      const env = await call(c, 'memories:readFile', { path });
      expect(JSON.stringify(env)).not.toContain(SECRET);
      got.push([path, codeOf(env)]);
    }
    expect(got).toEqual(expected);
    expect(snapshot(outside)).toEqual(before);
  });

  it('memories:drop refuses a memory root that is a symlink and deletes nothing behind it', async () => {
    const { data, outside, core } = setup();
    writeFileSync(join(outside, 'keep.md'), SECRET);
    const root = join(data, 'linked-root');
    symlinkSync(outside, root);
    const before = snapshot(outside);
    const c = await core();
    expect((await call(c, 'memories:updateSettings', { memory_root: root })).ok).toBe(true);
    expect(codeOf(await call(c, 'memories:drop', {}))).toBe('FORBIDDEN');
    expect(codeOf(await call(c, 'memories:reset', {}))).toBe('FORBIDDEN');
    expect(snapshot(outside)).toEqual(before);
  });
});

describe('CODEX_HOME', () => {
  it('a symlinked rollout whose target is outside is read in place, never archived (moved)', async () => {
    const { home, outside, core } = setup();
    const real = join(outside, `rollout-2026-03-01T10-00-00-${ID}.jsonl`);
    writeFileSync(real, rollout());
    const link = sessionPath(home);
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(real, link);
    const before = snapshot(outside);
    const c = await core();
    await c.start();

    // Discovery accepts symlinked rollout files (users keep rollouts elsewhere): reading leaves them as they are.
    const page = await call(c, 'transcript:page', { id: ID });
    expect(page.ok).toBe(true);
    expect(codeOf(await call(c, 'threads:archive', { id: ID }))).toBe('FORBIDDEN');
    expect(existsSync(join(home, 'archived_sessions'))).toBe(false);
    expect(readFileSync(link, 'utf8')).toBe(rollout());
    expect(snapshot(outside)).toEqual(before);
    for (const id of ['../../etc/passwd', `${ID}/..`, '', `${ID}\u0000`]) {
      expect(codeOf(await call(c, 'threads:archive', { id })), id).toBe('INVALID_INPUT');
      expect(codeOf(await call(c, 'transcript:page', { id })), id).toBe('INVALID_INPUT');
    }
  });

  it('archive refuses an archived_sessions folder that links outside CODEX_HOME; the rollout stays', async () => {
    const { home, outside, core } = setup();
    const from = writeSession(home, rollout());
    symlinkSync(outside, join(home, 'archived_sessions'));
    const c = await core();
    await c.start();
    const env = await call(c, 'threads:archive', { id: ID });
    expect(codeOf(env)).toBe('FORBIDDEN');
    expect(!env.ok && env.error.message).toContain('outside CODEX_HOME');
    expect(readFileSync(from, 'utf8')).toBe(rollout());
    expect(readdirSync(outside)).toEqual([]);
  });

  it('unarchive refuses a sessions/YYYY/MM/DD folder that links outside CODEX_HOME; the rollout stays', async () => {
    const { home, outside, core } = setup();
    const name = `rollout-2026-03-02T10-00-00-${ID2}.jsonl`;
    mkdirSync(join(home, 'archived_sessions'), { recursive: true });
    const from = join(home, 'archived_sessions', name);
    writeFileSync(from, rollout(ID2));
    mkdirSync(join(home, 'sessions', '2026', '03'), { recursive: true });
    symlinkSync(outside, join(home, 'sessions', '2026', '03', '02'));
    const c = await core();
    await c.start();
    expect(codeOf(await call(c, 'threads:unarchive', { id: ID2 }))).toBe('FORBIDDEN');
    expect(readFileSync(from, 'utf8')).toBe(rollout(ID2));
    expect(readdirSync(outside)).toEqual([]);
    // The same thread with a real folder there moves as usual.
    renameSync(join(home, 'sessions', '2026', '03', '02'), join(home, 'old-link'));
    expect(codeOf(await call(c, 'threads:unarchive', { id: ID2 }))).toBe('ok');
    expect(existsSync(join(home, 'sessions', '2026', '03', '02', name))).toBe(true);
  });
});

describe('the feedback folder', () => {
  async function withFeedback() {
    const s = setup();
    const server = await startFeedbackServer();
    cleanups.push(() => server.close());
    const c = await s.core({ feedback: { endpoint: `${server.url}/upload` } });
    const draft = await call(c, 'feedback:draft', { classification: 'bug', note: 'n', includeLogs: false });
    if (!draft.ok) throw new Error(draft.error.message);
    const sent = await call(c, 'feedback:send', { draftId: (draft.value as { draftId: string }).draftId });
    if (!sent.ok) throw new Error(sent.error.message);
    const record = sent.value as { id: string; path: string };
    expect(server.received).toHaveLength(1);
    return { ...s, c, server, record };
  }

  it('feedback ids that are not 32 hex digits are refused before any path is built', async () => {
    const { c } = await withFeedback();
    for (const method of ['feedback:retry', 'feedback:remove', 'feedback:reveal'] as const) {
      for (const id of ['../x', '..', `${'a'.repeat(32)}/..`, 'A'.repeat(32), 'a'.repeat(31), '%2e%2e', '']) {
        expect(codeOf(await call(c, method, { id })), `${method} ${id}`).toBe('INVALID_INPUT');
      }
      expect(codeOf(await call(c, method, { id: 'f'.repeat(32) }))).toBe('NOT_FOUND');
    }
    expect(
      codeOf(await call(c, 'feedback:partText', { draftId: '../x', partId: '../../y', offset: 0 })),
    ).toBe('NOT_FOUND');
  });

  it('a retry never reads a part whose name in bundle.json leads out of the bundle folder', async () => {
    const { c, server, record, outside } = await withFeedback();
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    const manifest = join(record.path, 'bundle.json');
    const stored = JSON.parse(readFileSync(manifest, 'utf8')) as {
      status: string;
      parts: { name: string }[];
    };
    stored.status = 'failed';
    stored.parts[0]!.name = relative(record.path, join(outside, 'secret.txt'));
    writeFileSync(manifest, JSON.stringify(stored));

    const env = await call(c, 'feedback:retry', { id: record.id });
    if (!env.ok) throw new Error(env.error.message);
    const retried = env.value as { status: string; error: string };
    expect(retried.status).toBe('failed');
    expect(retried.error).toContain('outside its folder');
    expect(server.received).toHaveLength(1); // nothing was uploaded
    expect(
      JSON.stringify(server.received.map((r) => r.attachments.map((a) => a.data.toString()))),
    ).not.toContain(SECRET);
  });

  it('a bundle folder that is a symlink to elsewhere is neither listed, sent, revealed nor deleted', async () => {
    const { c, data, record, outside } = await withFeedback();
    const otherId = 'b'.repeat(32);
    const bundle = JSON.parse(readFileSync(join(record.path, 'bundle.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(join(outside, 'bundle.json'), JSON.stringify({ ...bundle, id: otherId, status: 'failed' }));
    writeFileSync(join(outside, 'report.json'), SECRET);
    symlinkSync(outside, join(data, 'feedback', otherId));
    const before = snapshot(outside);

    const list = await call(c, 'feedback:list', {});
    expect(list.ok && (list.value as { id: string }[]).map((r) => r.id)).toEqual([record.id]);
    for (const method of ['feedback:retry', 'feedback:reveal', 'feedback:remove'] as const) {
      expect(codeOf(await call(c, method, { id: otherId })), method).toBe('NOT_FOUND');
    }
    expect(snapshot(outside)).toEqual(before);
  });
});
