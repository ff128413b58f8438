/**
 * The block path (PlainRolloutReader + RolloutFolder.foldLines, what extractRollout uses for plain files)
 * must fold exactly like the line path (LineSplitter + RolloutFolder.sink, what `.zst` files use): same
 * state, same tail, same offsets, whatever the layout of the lines and wherever the reads end.
 */
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { extractRollout } from './extract-metadata.ts';
import { PlainRolloutReader, scanRolloutLines } from './read-rollout.ts';
import type { ScanResult } from './read-rollout.ts';
import { RolloutFolder } from './rollout-folder.ts';
import { parseRolloutFileName } from './rollout-name.ts';
import {
  citedAnswer,
  event,
  functionCall,
  line,
  OTHER_ID,
  removeTempDirs,
  responseMessage,
  sessionMeta,
  tempDir,
  THREAD_ID,
  tokenCount,
  turnContext,
  userMessage,
  webSearchCall,
  writeRollout,
} from './rollout-test-kit.ts';
import { newFoldState } from './thread-fold.ts';
import type { FoldContext } from './thread-fold.ts';
import type { FoldState, MemorySignals } from './types.ts';

afterAll(removeTempDirs);

const realDir = fileURLToPath(new URL('../../../shared/fixtures/rollouts/real/', import.meta.url));
const realFiles = existsSync(realDir) ? readdirSync(realDir).filter((f) => f.endsWith('.jsonl')) : [];

interface Folded {
  state: FoldState;
  tail: FoldState | null;
  offset: number;
  end: number;
  unterminated: boolean;
  signals: MemorySignals;
  memoryModeAtMs: number | null;
}

function context(path: string): FoldContext {
  return { rolloutPath: path, defaultProvider: 'openai', nameInfo: parseRolloutFileName(basename(path)) };
}

function outcome(folder: RolloutFolder, scan: ScanResult): Folded {
  folder.flush();
  const { offset, end, unterminated } = scan;
  return {
    state: folder.state,
    tail: folder.tail,
    offset,
    end,
    unterminated,
    signals: folder.signals,
    memoryModeAtMs: folder.memoryModeSeen ? folder.memoryModeAtMs : -1,
  };
}

async function byLines(path: string, from = 0, state = newFoldState()): Promise<Folded> {
  const folder = new RolloutFolder(structuredClone(state), context(path));
  return outcome(folder, await scanRolloutLines(path, from, folder.sink));
}

function byBlocks(path: string, chunkSize?: number, from = 0, state = newFoldState()): Folded {
  const folder = new RolloutFolder(structuredClone(state), context(path));
  const reader = new PlainRolloutReader(path, from, chunkSize);
  try {
    while (reader.next(folder));
    return outcome(folder, reader.finish(folder));
  } finally {
    reader.close();
  }
}

/** A small deterministic PRNG, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const ts = (ms: number): string => new Date(ms).toISOString();

/** Lines of every kind the folder distinguishes, in the layouts it must survive. */
function lineKinds(rnd: () => number, clock: () => number): (() => string)[] {
  const stamp = (): string => ts(clock());
  return [
    () =>
      sessionMeta({
        memory_mode: rnd() < 0.5 ? 'enabled' : 'disabled',
        cli_version: `0.${Math.floor(rnd() * 99)}.0`,
      }),
    () => sessionMeta({ id: OTHER_ID, cwd: '/elsewhere' }),
    () => sessionMeta({ base_instructions: undefined, instructions: 'old "style" \\ prompt' }),
    () => sessionMeta({ source: { subagent: { thread_spawn: { parent_thread_id: OTHER_ID, depth: 1 } } } }),
    () => turnContext({ model: `m${Math.floor(rnd() * 5)}`, effort: rnd() < 0.5 ? 'low' : null }),
    () => turnContext({ cwd: '', sandbox_policy: undefined, user_instructions: 'be "brief"\n'.repeat(3) }),
    () => line('turn_context', { model: 'keys-out-of-order', cwd: '/x' }, stamp()),
    () => tokenCount(null),
    () => tokenCount(Math.floor(rnd() * 1e6)),
    () =>
      event('token_count', {
        info: { total_token_usage: { input_tokens: 5, cache_write_input_tokens: 1, total_tokens: 77 } },
      }),
    () => event('token_count', { info: { total_token_usage: { total_tokens: 12.5 } } }),
    () => event('token_count', { info: { total_token_usage: { input_tokens: 1 } } }),
    () => event('token_count', { info: { last_token_usage: { total_tokens: 3 } } }),
    () => userMessage(rnd() < 0.3 ? '' : `ask ${Math.floor(rnd() * 100)}`),
    () => userMessage('', { images: ['data:image/png;base64,AA'] }),
    () => userMessage('# Context from my IDE setup:\n## My request for Codex:\n fix it '),
    () =>
      event('item_completed', {
        item: { type: 'UserMessage', content: [{ type: 'text', text: `paged ${Math.floor(rnd() * 9)}` }] },
      }),
    () => event('thread_settings_applied', { thread_settings: { model: `s${Math.floor(rnd() * 3)}` } }),
    () => event('thread_settings_applied', { thread_settings: { effort: 'high', model: 'ordered-later' } }),
    () => responseMessage('assistant', 'x'.repeat(Math.floor(rnd() * 3000))),
    () => responseMessage('user', '<environment_context>cwd</environment_context>'),
    () => citedAnswer('a', rnd() < 0.5 ? [OTHER_ID] : [THREAD_ID, OTHER_ID, 'bad']),
    () => functionCall(rnd() < 0.5 ? 'mcp__srv__tool' : 'shell', { arguments: '{"x":"mcp__"}' }),
    () => webSearchCall(),
    () => event(rnd() < 0.5 ? 'mcp_tool_call_begin' : 'mcp_tool_call_end', { call_id: 'c' }),
    () =>
      `{"timestamp":"${stamp()}","ordinal":3,"type":"response_item","payload":{"type":"web_search_call"}}`,
    () =>
      `{"type":"response_item","timestamp":"${stamp()}","payload":{"type":"function_call","name":"mcp__a"}}`,
    () => event('agent_reasoning', { text: 'thinking "hard"' }),
    () => event('a_new_event_kind', { x: 1 }),
    () => line('world_state', { full: true, state: {} }),
    () => line('compacted', { message: 'summary' }),
    () => JSON.stringify({ record_type: 'state' }),
    () =>
      `{"timestamp":"${stamp()}","ordinal":${Math.floor(rnd() * 50)},"type":"event_msg","payload":{"type":"token_count","info":null}}`,
    () =>
      `{"type":"event_msg","timestamp":"${stamp()}","payload":{"type":"user_message","message":"reordered"}}`,
    () => `{"timestamp":"2026-02-03T10:15:02Z","type":"response_item","payload":{"type":"message"}}`,
    () => `{"timestamp":"2026-02-03T11:15:02.000+01:00","type":"response_item","payload":{}}`,
    () => `{"timestamp":"9999-99-99T99:99:99.999Z","type":"response_item","payload":{}}`,
    () => `{"timestamp":"2026-02-03T10:15:0\\u0032.000Z","type":"response_item","payload":{}}`,
    () => `{"timestamp":"2026-02-03T1é:15:02.000Z","type":"response_item","payload":{}}`,
    () => `{"timestamp":"${stamp()}","type":"response_item","payload":{"type":"message"}} `,
    () => `  {"timestamp":"${stamp()}","type":"response_item","payload":{}}`,
    () => `{"timestamp":"${stamp()}","type":"response_item","payload":{"broken":`,
    () => `{"timestamp":"${stamp()}","type":"response_item","payload":{"a":1}}}`,
    () => 'not json',
    () => '[1,2]',
    () => '',
    () => '   \t',
  ];
}

/** A random rollout: mostly a normal thread, with every odd line kind sprinkled in. */
function randomRollout(seed: number): Buffer {
  const rnd = random(seed);
  let now = Date.UTC(2026, 1, 3, 10, 15, 2);
  // Mostly forward, sometimes back: the maximum, not the last stamp, dates the thread.
  const clock = (): number => (now += Math.floor(rnd() * 4000) - 500);
  const kinds = lineKinds(rnd, clock);
  const lines: string[] = [];
  if (rnd() < 0.85) lines.push(sessionMeta({ memory_mode: 'enabled' }));
  const count = 5 + Math.floor(rnd() * 60);
  for (let i = 0; i < count; i++) {
    const pick = rnd();
    if (pick < 0.35) lines.push(responseMessage('assistant', 'y'.repeat(Math.floor(rnd() * 400))));
    else if (pick < 0.5) lines.push(tokenCount(Math.floor(rnd() * 1e5)));
    else if (pick < 0.6) lines.push(turnContext({ model: `t${i}` }));
    else lines.push(kinds[Math.floor(rnd() * kinds.length)]!());
  }
  const eol = rnd() < 0.15 ? '\r\n' : '\n';
  let text = lines.map((l) => l + eol).join('');
  const ending = rnd();
  if (ending < 0.2) text = text.slice(0, text.length - eol.length);
  else if (ending < 0.35) text = text.slice(0, Math.floor(text.length * (0.5 + rnd() / 2)));
  return Buffer.from(text);
}

describe('block folding equals line folding', () => {
  it.skipIf(realFiles.length === 0).each(realFiles)('real file %s, at any read size', async (file) => {
    const path = join(realDir, file);
    const expected = await byLines(path);
    for (const chunk of [undefined, 1, 97, 4096, 65_536]) expect(byBlocks(path, chunk)).toEqual(expected);
  });

  it('on 300 random rollouts with odd lines, read sizes and endings', async () => {
    const dir = tempDir('blocks');
    let withSignals = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const data = randomRollout(seed);
      const path = writeRollout(
        dir,
        data,
        `rollout-2026-02-03T11-15-02-${THREAD_ID.slice(0, -4)}${String(seed).padStart(4, '0')}.jsonl`,
      );
      const expected = await byLines(path);
      if (expected.signals.polluting && expected.signals.citations.length > 0) withSignals++;
      const rnd = random(seed * 7919);
      for (const chunk of [undefined, 1 + Math.floor(rnd() * 40), 1 + Math.floor(rnd() * 5000)]) {
        expect(byBlocks(path, chunk), `seed ${seed}, chunk ${chunk}`).toEqual(expected);
      }
      // Resuming at a line boundary from the line path's state gives the line path's result.
      const cut = data.indexOf(10, Math.floor(rnd() * data.length));
      if (cut !== -1) {
        const prefixPath = join(dir, `prefix-${seed}.jsonl`);
        writeFileSync(prefixPath, data.subarray(0, cut + 1));
        const first = await byLines(prefixPath);
        const resumed = byBlocks(path, 1 + Math.floor(rnd() * 300), first.offset, first.state);
        expect(resumed, `resume seed ${seed}`).toEqual(await byLines(path, first.offset, first.state));
      }
    }
    expect(withSignals).toBeGreaterThan(30);
  });

  it('on legacy files', async () => {
    const header = JSON.stringify({
      id: THREAD_ID,
      timestamp: '2025-08-20T14:03:11.512Z',
      git: { branch: 'b' },
    });
    const item = (text: string): string =>
      JSON.stringify({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
    const path = writeRollout(tempDir(), [
      header,
      item('<env>x</env>'),
      item('first'),
      item('second'),
      '[0]',
      '',
    ]);
    const expected = await byLines(path);
    expect(expected.state.format).toBe('legacy');
    for (const chunk of [undefined, 3, 50]) expect(byBlocks(path, chunk)).toEqual(expected);
  });
});

describe('extractRollout on plain and .zst copies of the same bytes', () => {
  it('gives the same result for random rollouts (the .zst goes through the line path)', async () => {
    const dir = tempDir('pairs');
    for (let seed = 1000; seed < 1060; seed++) {
      const data = randomRollout(seed);
      const plain = writeRollout(
        dir,
        data,
        `rollout-2026-02-03T11-15-02-${THREAD_ID.slice(0, -4)}${seed}.jsonl`,
      );
      const zst = writeRollout(dir, zstdCompressSync(data), `${basename(plain)}.zst`);
      // Files without line timestamps are dated by mtime.
      utimesSync(zst, 1_770_000_000, 1_770_000_000);
      utimesSync(plain, 1_770_000_000, 1_770_000_000);
      const opts = { archived: seed % 2 === 0, defaultProvider: 'openai' };
      const a = await extractRollout(plain, opts);
      const b = await extractRollout(zst, opts);
      const sameMeta = b.meta ? { ...b.meta, rolloutPath: plain } : null;
      const sameState = b.state.meta
        ? { ...b.state, meta: { ...b.state.meta, rolloutPath: plain } }
        : b.state;
      expect({ ...b, meta: sameMeta, state: sameState }, `seed ${seed}`).toEqual(a);
    }
  });

  it('reads a file exactly as long as the read buffer, and one a byte longer', async () => {
    const dir = tempDir('edges');
    const head = [sessionMeta(), userMessage('hi')].map((l) => `${l}\n`).join('');
    for (const size of [1 << 20, (1 << 20) + 1, (1 << 21) + 5]) {
      const fillerHead = line('response_item', { type: 'message', content: '' });
      const pad = size - Buffer.byteLength(head) - Buffer.byteLength(fillerHead) - 1;
      const filler = line('response_item', { type: 'message', content: 'z'.repeat(pad) });
      const data = Buffer.from(head + filler + '\n');
      expect(data.length).toBe(size);
      const path = writeRollout(
        dir,
        data,
        `rollout-2026-02-03T11-15-02-${THREAD_ID.slice(0, -4)}${size % 10000}.jsonl`,
      );
      const result = await extractRollout(path, { archived: false, defaultProvider: 'openai' });
      expect(result.offset).toBe(data.length);
      expect(result.state.lines).toBe(3);
      expect(byBlocks(path)).toEqual(await byLines(path));
    }
  });
});

describe('real files read through the block path', () => {
  it.skipIf(realFiles.length === 0)('keep their line counts', async () => {
    for (const file of realFiles) {
      const path = join(realDir, file);
      const lines = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '').length;
      const folded = byBlocks(path);
      expect((folded.tail ?? folded.state).lines).toBe(lines);
    }
  });
});
