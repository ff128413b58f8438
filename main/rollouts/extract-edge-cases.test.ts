import { appendFileSync, readFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Slicer } from '../core/time-slice.ts';
import { extractRollout } from './extract-metadata.ts';
import {
  basicThread,
  citedAnswer,
  functionCall,
  line,
  mergePasses,
  OTHER_ID,
  resetClock,
  sessionMeta,
  tempDir,
  THREAD_ID,
  tokenCount,
  turnContext,
  userMessage,
  webSearchCall,
  writeRollout,
  removeTempDirs,
} from './rollout-test-kit.ts';
import type { ExtractResult } from './types.ts';

afterAll(removeTempDirs);

const opts = { archived: false, defaultProvider: 'openai' };

function fileOf(lines: string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** Extracts `data[0, cut)` first, then appends the rest and resumes from the returned offset and state. */
async function extractInTwoSteps(path: string, data: Buffer, cut: number): Promise<ExtractResult> {
  writeFileSync(path, data.subarray(0, cut));
  const first = await extractRollout(path, opts);
  appendFileSync(path, data.subarray(cut));
  // JSON round trip: the state is stored as JSON between runs.
  const state = JSON.parse(JSON.stringify(first.state)) as ExtractResult['state'];
  const second = await extractRollout(path, { ...opts, resume: { offset: first.offset, state } });
  expect(second.readFrom).toBe(first.offset);
  return mergePasses(first, second);
}

describe('extractRollout edge cases', () => {
  it('survives a truncated last line: counted, not consumed, re-read on resume', async () => {
    const lines = basicThread();
    const full = fileOf(lines);
    const cutAt = full.length - 20;
    const dir = tempDir();
    const path = writeRollout(dir, full.slice(0, cutAt));
    const partial = await extractRollout(path, opts);
    expect(partial.parseErrors).toBe(1);
    expect(partial.state.parseErrors).toBe(0);
    expect(partial.offset).toBe(Buffer.byteLength(fileOf(lines.slice(0, -1))));
    expect(partial.meta!.title).toBe('add a --verbose flag');
    appendFileSync(path, full.slice(cutAt));
    const resumed = await extractRollout(path, {
      ...opts,
      resume: { offset: partial.offset, state: partial.state },
    });
    expect(resumed.parseErrors).toBe(0);
    expect(resumed.offset).toBe(Buffer.byteLength(full));
  });

  it('applies a complete but unterminated last line without moving the offset past it', async () => {
    const head = fileOf([sessionMeta(), tokenCount(100)]);
    const path = writeRollout(tempDir(), head + tokenCount(250));
    const result = await extractRollout(path, opts);
    expect(result.meta!.tokensUsed).toBe(250);
    expect(result.offset).toBe(Buffer.byteLength(head));
    expect(result.state.meta!.tokensUsed).toBe(100);
    expect(result.state.lines).toBe(2);
  });

  it('gives the same result in two steps as in one, wherever the first step stops', async () => {
    resetClock();
    const lines = [
      ...basicThread(),
      citedAnswer('Used a memory.', [OTHER_ID, THREAD_ID]),
      sessionMeta({ memory_mode: 'enabled' }),
      functionCall('mcp__docs__search'),
      userMessage('', { images: ['data:image/png;base64,AA'] }),
      webSearchCall(),
      citedAnswer('Again.', [OTHER_ID]),
      turnContext({ model: 'later-model', effort: 'high' }),
      line('event_msg', { type: 'thread_settings_applied', thread_settings: { model: 'settings-model' } }),
      userMessage('second turn'),
      tokenCount(12_000),
    ];
    const data = Buffer.from(fileOf(lines));
    const path = writeRollout(tempDir(), data);
    const once = await extractRollout(path, opts);
    expect(once.memory.citations.map((c) => c.threadIds)).toEqual([[OTHER_ID, THREAD_ID], [OTHER_ID]]);
    expect(once.memory.polluting).toBe(true);
    expect(once.memoryMode).toBe('enabled');
    const cuts = new Set<number>([0, data.length]);
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1))
      cuts
        .add(i + 1)
        .add(i)
        .add(i - 7);
    for (const cut of cuts) {
      if (cut < 0 || cut > data.length) continue;
      expect(await extractInTwoSteps(path, data, cut), `cut at ${cut}`).toEqual(once);
    }
  });

  it('restarts from the beginning when the file became shorter than the saved offset', async () => {
    const path = writeRollout(tempDir(), basicThread());
    const first = await extractRollout(path, opts);
    truncateSync(path, 0);
    writeFileSync(path, fileOf([sessionMeta(), userMessage('replaced')]));
    const again = await extractRollout(path, {
      ...opts,
      resume: { offset: first.offset, state: first.state },
    });
    expect(again.meta!.title).toBe('replaced');
  });

  it('decodes invalid UTF-8 leniently', async () => {
    const bad = Buffer.concat([
      Buffer.from(fileOf([sessionMeta()])),
      Buffer.from(userMessage('caf\u0000X').replace('\\u0000X', '__BAD__')),
      Buffer.from('\n'),
    ]);
    const at = bad.indexOf('__BAD__');
    bad.fill(0xff, at, at + 2);
    bad[at + 2] = 0xc3; // truncated two-byte sequence
    const result = await extractRollout(writeRollout(tempDir(), bad), opts);
    expect(result.parseErrors).toBe(0);
    expect(result.meta!.title).toBe('caf\ufffd\ufffd\ufffdAD__');
  });

  it('handles a 5 MB single line', async () => {
    const huge = 'y'.repeat(5 * 1024 * 1024);
    const result = await extractLines([
      sessionMeta(),
      line('response_item', { type: 'function_call_output', call_id: 'c', output: huge }),
      userMessage(`big ${huge}`),
      tokenCount(42),
    ]);
    expect(result.parseErrors).toBe(0);
    expect(result.meta!.title.length).toBe(huge.length + 4);
    expect(result.meta!.tokensUsed).toBe(42);
  });

  it('skips unknown line and payload types without errors', async () => {
    const result = await extractLines([
      sessionMeta(),
      line('world_state', { full: true, state: { agents_md: {} } }),
      line('response_item', { type: 'shiny_new_item', data: [1, 2] }),
      line('event_msg', { type: 'brand_new_event', message: 'x' }),
      line('inter_agent_communication', { author: 'a', recipient: 'b', content: 'hi' }),
      JSON.stringify({ record_type: 'state' }),
      userMessage('still found'),
    ]);
    expect(result.parseErrors).toBe(0);
    expect(result.meta!.title).toBe('still found');
    expect(result.state.lines).toBe(7);
  });

  it('counts lines that are not JSON objects as parse errors and goes on', async () => {
    const result = await extractLines([
      sessionMeta(),
      'not json',
      '[1,2]',
      '{"timestamp":"x"',
      userMessage('ok'),
    ]);
    expect(result.parseErrors).toBe(3);
    expect(result.meta!.title).toBe('ok');
  });

  it('reads CRLF files like LF files', async () => {
    resetClock();
    const lf = await extractRollout(writeRollout(tempDir(), basicThread()), opts);
    resetClock();
    const crlf = basicThread()
      .map((l) => `${l}\r\n`)
      .join('');
    const result = await extractRollout(writeRollout(tempDir(), crlf), opts);
    expect(result.meta).toEqual({ ...lf.meta, rolloutPath: result.meta!.rolloutPath });
    expect(result.parseErrors).toBe(0);
  });

  it('reports empty and whitespace-only files', async () => {
    for (const content of ['', '\n\n', '  \r\n\t\n   ']) {
      const result = await extractRollout(writeRollout(tempDir(), content), opts);
      expect(result.meta).toBeNull();
      expect(result.problem).toBe('empty session file');
    }
  });

  it('reads .jsonl.zst exactly like the plain file, and resumes inside it', async () => {
    resetClock();
    const data = Buffer.from(fileOf(basicThread()));
    const dir = tempDir();
    const plain = writeRollout(dir, data);
    const zst = writeRollout(tempDir(), zstdCompressSync(data), `${plain.split('/').pop()!}.zst`);
    const a = await extractRollout(plain, opts);
    const b = await extractRollout(zst, opts);
    expect(b.meta).toEqual({ ...a.meta, rolloutPath: zst });
    expect(b.offset).toBe(a.offset);
    const half = data.indexOf(10, data.length >> 1) + 1;
    writeFileSync(plain, data.subarray(0, half));
    const prefix = await extractRollout(plain, opts);
    const resumed = await extractRollout(zst, {
      ...opts,
      resume: { offset: prefix.offset, state: prefix.state },
    });
    expect(resumed.meta).toEqual(b.meta);
  });

  it('reads legacy files: header line, bare items, first real user message, mtime as updated_at', async () => {
    const lines = [
      JSON.stringify({
        id: THREAD_ID,
        timestamp: '2025-08-20T14:03:11.512Z',
        instructions: null,
        git: { commit_hash: '89ab', branch: 'main' },
      }),
      JSON.stringify({ record_type: 'state' }),
      legacyUser('<user_instructions>be nice</user_instructions>'),
      legacyUser('# AGENTS.md instructions for /repo\n<INSTRUCTIONS>x</INSTRUCTIONS>'),
      legacyUser('<environment_context>cwd</environment_context>'),
      legacyUser('# Context from my IDE setup:\n## My request for Codex:\nfix the failing test'),
      legacyUser('second'),
      JSON.stringify({ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAA' }),
    ];
    const path = writeRollout(tempDir(), lines);
    const createdAt = Date.UTC(2025, 7, 20, 14, 3, 11) / 1000;
    utimesSync(path, createdAt + 3600, createdAt + 3600);
    const result = await extractRollout(path, opts);
    expect(result.state.format).toBe('legacy');
    expect(result.meta).toMatchObject({
      id: THREAD_ID,
      createdAt,
      updatedAt: createdAt + 3600,
      title: 'fix the failing test',
      firstUserMessage: 'fix the failing test',
      gitSha: '89ab',
      gitBranch: 'main',
      gitOriginUrl: null,
      source: 'vscode',
      cliVersion: '',
      cwd: '',
    });
    utimesSync(path, createdAt - 86_400, createdAt - 86_400);
    expect((await extractRollout(path, opts)).meta!.updatedAt).toBe(createdAt);
  });

  it('yields to the event loop between chunks of a large file', async () => {
    const filler = line('response_item', {
      type: 'message',
      role: 'assistant',
      content: 'z'.repeat(300_000),
    });
    const path = writeRollout(tempDir(), [
      sessionMeta(),
      ...Array<string>(12).fill(filler),
      userMessage('end'),
    ]);
    let calls = 0;
    const slicer: Slicer = { due: () => false, yieldNow: async () => {}, maybeYield: () => void calls++ };
    const result = await extractRollout(path, opts, slicer);
    expect(result.meta!.title).toBe('end');
    expect(calls).toBeGreaterThanOrEqual(readFileSync(path).length >> 20);
  });
});

function legacyUser(text: string): string {
  return JSON.stringify({ type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text }] });
}

async function extractLines(lines: string[]): Promise<ExtractResult> {
  return extractRollout(writeRollout(tempDir(), lines), opts);
}
