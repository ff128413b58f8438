import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../preload/contract/index.ts';
import { createAppCore, type AppCore } from '../app/app-core.ts';
import type { WorkerScripts } from '../app/worker-url.ts';
import { buildFixtureHome, haveRealFixtures } from '../test-support/fixture-home.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';

const ctx = { transport: 'test' } as const;
const { cleanups, dirs } = perTestDirs();

async function core(home: string, data: string, workers: WorkerScripts): Promise<AppCore> {
  const c = await createAppCore({ codexHome: home, dataDir: data, shell: 'test', watch: false, workers });
  cleanups.push(() => c.close());
  return c;
}

async function search(c: AppCore, query: string, extra: { limit?: number; cursor?: string | null } = {}) {
  return c.handlers['search:query'](
    { query, limit: extra.limit ?? 20, cursor: extra.cursor ?? null, prefixLast: false },
    ctx,
  );
}

const hitsOf = (r: SearchResult) => r.threads.flatMap((t) => t.hits.map((h) => ({ ...h, title: t.title })));

const VOICE = '019b5669-8da8-7bc3-bed8-e1c1b805dad5';
const LEGACY = '8a837827-6a97-40ad-9fc8-905176aa9307';

// The indexer runs on this thread from source (time-sliced), and as shipped on the search worker.
const modes: [string, WorkerScripts][] = [
  ['inline', { ingest: null, extract: null, search: null }],
  ['worker', { ingest: null, extract: null, search: new URL('./search-worker.ts', import.meta.url) }],
];

describe.skipIf(!haveRealFixtures)('content index over the real fixtures', () => {
  it.each(modes)(
    'finds assistant, reasoning, tool and user text at the right positions (%s)',
    async (_, workers) => {
      const { home, data } = dirs();
      const files = buildFixtureHome(home);
      const c = await core(home, data, workers);
      await c.start();
      await c.search.idle();
      const status = await c.handlers['search:status']({}, ctx);
      expect(status.state).toBe('idle');
      // Every file with a thread is covered (the empty fixture has none).
      expect(status.filesDone).toBe(status.filesTotal);
      expect(status.filesTotal).toBe(files.length - 1);
      expect(status.bytesDone).toBe(status.bytesTotal);

      // Positions count non-blank lines, as the transcript does (see the fixture listing in the test notes).
      const assistant = hitsOf(await search(c, '"wrong payload shape"')).filter((h) => h.threadId === VOICE);
      expect(assistant.map((h) => [h.position, h.kind])).toEqual([[36, 'assistant']]);
      expect(assistant[0]?.snippet).toContain('\u0002wrong payload shape\u0003');

      const reasoning = hitsOf(await search(c, 'Flagging mismatches')).filter((h) => h.threadId === VOICE);
      expect(reasoning.map((h) => [h.position, h.kind])).toEqual([[15, 'reasoning']]);

      const output = hitsOf(await search(c, 'WebSocketDisconnect')).filter((h) => h.threadId === VOICE);
      expect(output.map((h) => [h.position, h.kind, h.toolName])).toEqual([
        [18, 'tool_output', 'shell_command'],
      ]);

      const call = hitsOf(await search(c, 'tool:shell_command transcription.py')).filter(
        (h) => h.threadId === VOICE,
      );
      expect(call.map((h) => [h.position, h.kind])).toEqual([[21, 'tool_call']]);

      // The user's request is indexed once (from the user_message event), injected AGENTS.md text never.
      const user = hitsOf(await search(c, '"merge base commit for this comparison"')).filter(
        (h) => h.threadId === VOICE,
      );
      expect(user.map((h) => [h.position, h.kind])).toEqual([[4, 'user']]);
      expect(hitsOf(await search(c, '"discovered at startup from multiple"'))).toEqual([]);

      // A legacy (pre-envelope) file has no user_message events: its user items are used instead.
      const legacy = hitsOf(await search(c, 'あなたのグローバルルールはどこに設定すればいい')).filter(
        (h) => h.threadId === LEGACY,
      );
      expect(legacy.map((h) => h.kind)).toEqual(['user']);
    },
  );

  it('never indexes encrypted reasoning content', async () => {
    const { home, data } = dirs();
    const files = buildFixtureHome(home);
    const c = await core(home, data, { ingest: null, extract: null });
    await c.start();
    await c.search.idle();
    const tokens = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(f.path, 'utf8').matchAll(/"encrypted_content":"gAAAA([A-Za-z0-9]{12})/g))
        tokens.add(`gAAAA${m[1]}`);
    }
    expect(tokens.size).toBeGreaterThan(10);
    for (const t of [...tokens].slice(0, 25)) expect(hitsOf(await search(c, `${t}*`))).toEqual([]);
  });
});

const ID = '019c0000-0000-7000-8000-0000000000a1';
const line = (o: unknown): string => `${JSON.stringify(o)}\n`;
const ts = '2026-03-01T10:00:00.000Z';
const metaLine = line({
  timestamp: ts,
  type: 'session_meta',
  payload: {
    id: ID,
    timestamp: ts,
    cwd: '/home/me/proj-alpha',
    originator: 'codex_cli_rs',
    cli_version: '0.146.0',
    source: 'exec',
    model_provider: 'openai',
  },
});
const userLine = (text: string): string =>
  line({ timestamp: ts, type: 'event_msg', payload: { type: 'user_message', message: text } });
const answerLine = (text: string): string =>
  line({
    timestamp: ts,
    type: 'response_item',
    payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] },
  });
const turnLine = line({
  timestamp: ts,
  type: 'turn_context',
  payload: { cwd: '/home/me/proj-alpha', model: 'gpt-5.5' },
});

describe('keeping the index current', () => {
  it.each(modes)(
    'indexes appended lines, skips corrupt ones, drops a deleted file and re-reads a rewritten one (%s)',
    async (_, workers) => {
      const { home, data } = dirs();
      const dir = join(home, 'sessions', '2026', '03', '01');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `rollout-2026-03-01T10-00-00-${ID}.jsonl`);
      writeFileSync(
        path,
        metaLine +
          turnLine +
          userLine('please fix the zanzibar parser') +
          '\n{not json at all\n' +
          answerLine('The zanzibar parser is fixed.'),
      );
      const c = await core(home, data, workers);
      await c.start();
      await c.search.idle();
      expect(hitsOf(await search(c, 'zanzibar')).map((h) => [h.position, h.kind])).toEqual([
        [2, 'user'],
        [4, 'assistant'],
      ]);

      // An append (and a line still being written) is picked up from where indexing stopped.
      appendFileSync(
        path,
        userLine('now the quetzal exporter') + answerLine('Quetzal export done.') + '{"timestamp":"2026',
      );
      await c.handlers['ingest:rescan']({}, ctx);
      await c.search.syncNow();
      expect(hitsOf(await search(c, 'quetzal')).map((h) => [h.position, h.kind])).toEqual([
        [5, 'user'],
        [6, 'assistant'],
      ]);
      expect(hitsOf(await search(c, 'zanzibar'))).toHaveLength(2);

      // Filters: the thread's cwd, model and source come from the state DB.
      expect(hitsOf(await search(c, 'quetzal cwd:alpha model:gpt-5.5 source:exec'))).toHaveLength(2);
      expect(hitsOf(await search(c, 'quetzal cwd:beta'))).toEqual([]);
      expect(hitsOf(await search(c, 'quetzal source:cli'))).toEqual([]);
      expect(hitsOf(await search(c, 'quetzal -exporter')).map((h) => h.position)).toEqual([6]);

      // Rewritten shorter: the old documents go, the new content is indexed from the start.
      writeFileSync(path, metaLine + userLine('only a walrus now'));
      await c.handlers['ingest:rescan']({}, ctx);
      await c.search.syncNow();
      expect(hitsOf(await search(c, 'quetzal'))).toEqual([]);
      expect(hitsOf(await search(c, 'walrus')).map((h) => h.position)).toEqual([1]);

      rmSync(path);
      await c.handlers['ingest:rescan']({}, ctx);
      await c.search.syncNow();
      expect(hitsOf(await search(c, 'walrus'))).toEqual([]);
      expect((await c.handlers['search:status']({}, ctx)).filesTotal).toBe(0);
    },
  );
});

const callLine = (callId: string, cmd: string): string =>
  line({
    timestamp: ts,
    type: 'response_item',
    payload: {
      type: 'function_call',
      name: 'exec_command',
      arguments: JSON.stringify({ cmd }),
      call_id: callId,
    },
  });
const outputLine = (callId: string, output: string): string =>
  line({
    timestamp: ts,
    type: 'response_item',
    payload: { type: 'function_call_output', call_id: callId, output },
  });

describe('snippets and tools', () => {
  it('cuts snippets from compressed rollouts and names the tool of an output appended after its call', async () => {
    const { home, data } = dirs();
    const dir = join(home, 'sessions', '2026', '03', '01');
    mkdirSync(dir, { recursive: true });
    const zstId = '019c0000-0000-7000-8000-0000000000b2';
    const zst = join(dir, `rollout-2026-03-01T09-00-00-${zstId}.jsonl.zst`);
    writeFileSync(
      zst,
      zstdCompressSync(
        Buffer.from(metaLine.replaceAll(ID, zstId) + userLine('where is the marmalade stored?')),
      ),
    );
    const path = join(dir, `rollout-2026-03-01T10-00-00-${ID}.jsonl`);
    writeFileSync(path, metaLine + userLine('look around') + callLine('call_1', 'rg -n okapi src'));
    const c = await core(home, data, { ingest: null, extract: null });
    await c.start();
    await c.search.idle();

    const marmalade = (await search(c, 'marmalade')).threads;
    expect(marmalade.map((t) => t.id)).toEqual([zstId]);
    expect(marmalade[0]?.hits[0]?.snippet).toBe('where is the \u0002marmalade\u0003 stored?');

    // The output arrives in a later scan: the call's tool name was kept with the file's progress.
    const long = `okapi found: ${'lorem ipsum '.repeat(2000)} src/zoo.ts ${'dolor sit '.repeat(2000)} exit 0`;
    appendFileSync(path, outputLine('call_1', long));
    await c.handlers['ingest:rescan']({}, ctx);
    await c.search.syncNow();
    const hits = hitsOf(await search(c, 'okapi'));
    expect(hits.map((h) => [h.position, h.kind, h.toolName])).toEqual([
      [2, 'tool_call', 'exec_command'],
      [3, 'tool_output', 'exec_command'],
    ]);
    expect(hitsOf(await search(c, 'okapi tool:exec_command'))).toHaveLength(2);
    expect(hitsOf(await search(c, 'okapi tool:apply_patch'))).toEqual([]);
    // A long output is sampled (head and tail): its middle is not searchable, its ends are.
    expect(hitsOf(await search(c, 'zoo'))).toEqual([]);
  });
});

describe('closing', () => {
  it.each(modes)(
    'a build interrupted by closing the app resumes on the next start, without duplicates (%s)',
    async (_, workers) => {
      const { home, data } = dirs();
      const dir = join(home, 'sessions', '2026', '03', '01');
      mkdirSync(dir, { recursive: true });
      const ids = Array.from(
        { length: 40 },
        (_, i) => `019c0000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      );
      for (const [i, id] of ids.entries()) {
        writeFileSync(
          join(dir, `rollout-2026-03-01T10-00-${String(i).padStart(2, '0')}-${id}.jsonl`),
          metaLine.replaceAll(ID, id) + userLine(`capybara number ${i}`) + answerLine('noted '.repeat(400)),
        );
      }
      const first = await createAppCore({
        codexHome: home,
        dataDir: data,
        shell: 'test',
        watch: false,
        workers,
      });
      await first.start();
      // Closing right away stops the build wherever it is (after its current batch).
      await first.close();

      const second = await core(home, data, workers);
      await second.start();
      await second.search.idle();
      const done = await second.handlers['search:status']({}, ctx);
      expect([done.filesDone, done.filesTotal]).toEqual([ids.length, ids.length]);
      const all = await search(second, 'capybara', { limit: 100 });
      expect(all.threads).toHaveLength(ids.length);
      expect(new Set(all.threads.map((t) => t.id))).toEqual(new Set(ids));
      // Once built, FTS5 merges small segments again as syncs add them (the build turned that off).
      const automerge = second.search.db
        .prepare("SELECT v FROM search_docs_config WHERE k = 'automerge'")
        .pluck()
        .get();
      expect(automerge).toBe(8);
    },
  );
});

describe('the search DB file', () => {
  it('is rebuilt when it is not a database', async () => {
    const { home, data } = dirs();
    writeFileSync(join(data, 'search_1.sqlite'), 'this is not sqlite '.repeat(100));
    const c = await core(home, data, { ingest: null, extract: null });
    await c.start();
    await c.search.idle();
    expect(await c.handlers['search:status']({}, ctx)).toMatchObject({
      state: 'idle',
      filesDone: 0,
      filesTotal: 0,
    });
    expect((await search(c, 'anything')).threads).toEqual([]);
  });
});
