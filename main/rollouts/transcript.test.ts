import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearLineIndexCache } from './line-index.ts';
import {
  event,
  line,
  responseMessage,
  sessionMeta,
  tempDir,
  tokenCount,
  writeRollout,
  removeTempDirs,
} from './rollout-test-kit.ts';
import { readTranscriptPage } from './transcript.ts';
import { MAX_ITEM_TEXT } from './transcript-item.ts';

afterAll(removeTempDirs);

/** Line i says `message <i>`; every 7th line is followed by a blank line, which has no position. */
function generated(count: number, from = 0): string {
  let text = '';
  for (let i = from; i < from + count; i++) {
    text += `${responseMessage(i % 2 === 0 ? 'user' : 'assistant', `message ${i}`)}\n`;
    if (i % 7 === 0) text += i % 14 === 0 ? '\n' : '  \r\n';
  }
  return text;
}

describe('readTranscriptPage on a 20k-line file', () => {
  const dir = tempDir('transcript');
  let path = '';
  beforeAll(() => {
    clearLineIndexCache();
    path = writeRollout(dir, generated(20_000));
  });

  const texts = (items: { text: string | null }[]) => items.map((i) => i.text);

  it('returns the first page with the total and file size', async () => {
    const page = await readTranscriptPage(path, 0, 100);
    expect(page.total).toBe(20_000);
    expect(page.offset).toBe(0);
    expect(page.fileSize).toBe(statSync(path).size);
    expect(page.items).toHaveLength(100);
    expect(page.items.map((i) => i.position)).toEqual([...Array(100).keys()]);
    expect(page.items[0]).toMatchObject({
      kind: 'user_message',
      role: 'user',
      text: 'message 0',
      lineType: 'response_item',
    });
    expect(page.items[1]).toMatchObject({ kind: 'assistant_message', role: 'assistant', text: 'message 1' });
  });

  it('reads a page in the middle, across index marks', async () => {
    const page = await readTranscriptPage(path, 12_345, 300);
    expect(page.items.map((i) => i.position)).toEqual(Array.from({ length: 300 }, (_, k) => 12_345 + k));
    expect(texts(page.items)).toEqual(Array.from({ length: 300 }, (_, k) => `message ${12_345 + k}`));
  });

  it('returns a short last page and nothing beyond the end', async () => {
    const last = await readTranscriptPage(path, 19_990, 100);
    expect(texts(last.items)).toEqual(Array.from({ length: 10 }, (_, k) => `message ${19_990 + k}`));
    const beyond = await readTranscriptPage(path, 20_000, 100);
    expect(beyond).toMatchObject({ items: [], offset: 20_000, total: 20_000 });
    expect((await readTranscriptPage(path, 50_000, 10)).items).toEqual([]);
  });

  it('extends its index when the file grows, including an unterminated last line', async () => {
    appendFileSync(path, generated(300, 20_000));
    const grown = await readTranscriptPage(path, 20_100, 5);
    expect(grown.total).toBe(20_300);
    expect(texts(grown.items)).toEqual(Array.from({ length: 5 }, (_, k) => `message ${20_100 + k}`));
    appendFileSync(path, responseMessage('user', 'partial').slice(0, 30));
    const tail = await readTranscriptPage(path, 20_299, 10);
    expect(tail.total).toBe(20_301);
    expect(tail.items.map((i) => i.kind)).toEqual(['assistant_message', 'invalid']);
    // The earlier part of the file is still served from the extended index.
    expect(texts((await readTranscriptPage(path, 7, 2)).items)).toEqual(['message 7', 'message 8']);
  });

  it('rebuilds its index when the file is replaced by a shorter one', async () => {
    writeFileSync(path, generated(10));
    const page = await readTranscriptPage(path, 0, 100);
    expect(page.total).toBe(10);
    expect(texts(page.items)).toEqual(Array.from({ length: 10 }, (_, k) => `message ${k}`));
  });
});

describe('transcript items', () => {
  it('maps every kind of line', async () => {
    const lines = [
      sessionMeta(),
      line('turn_context', {
        cwd: '/p',
        model: 'gpt-5',
        effort: 'low',
        approval_policy: 'never',
        user_instructions: 'x',
      }),
      responseMessage('developer', '<permissions instructions>'),
      line('response_item', {
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'Thinking' }],
        encrypted_content: 'gAAAAsecret',
      }),
      line('response_item', {
        type: 'function_call',
        name: 'shell',
        arguments: '{"command":["ls"]}',
        call_id: 'c1',
      }),
      line('response_item', { type: 'function_call_output', call_id: 'c1', output: 'a.txt' }),
      line('response_item', {
        type: 'custom_tool_call',
        name: 'apply_patch',
        input: '*** Begin Patch',
        call_id: 'c2',
      }),
      line('response_item', {
        type: 'custom_tool_call_output',
        call_id: 'c2',
        output: [
          { type: 'input_text', text: 'Done' },
          { type: 'input_image', image_url: 'data:…' },
        ],
      }),
      line('response_item', {
        type: 'local_shell_call',
        call_id: 'c3',
        status: 'completed',
        action: { type: 'exec', command: ['git', 'status'] },
      }),
      line('response_item', {
        type: 'web_search_call',
        status: 'completed',
        action: { type: 'search', query: 'zstd node' },
      }),
      line('compacted', { message: 'Summary so far' }),
      tokenCount(1234),
      event('agent_message', { message: 'Hello' }),
      event('task_started', { turn_id: 't' }),
      line('world_state', { full: true }),
      line('response_item', { type: 'ghost_snapshot', ghost_commit: {} }),
      '{"timestamp":"2026-01-01T00:00:00Z","type":"response_item","payload":{"type":"mess',
    ];
    const path = writeRollout(tempDir(), lines);
    const { items, total } = await readTranscriptPage(path, 0, 100);
    expect(total).toBe(lines.length);
    const summary = items.map((i) => [
      i.kind,
      i.payloadType,
      i.toolName,
      i.callId,
      i.text?.slice(0, 20) ?? null,
    ]);
    expect(summary).toEqual([
      ['session_meta', null, null, null, expect.stringContaining('{"id":"019c2a00') as string],
      ['turn_context', null, null, null, '{"model":"gpt-5","ef'],
      ['developer_message', 'message', null, null, '<permissions instruc'],
      ['reasoning', 'reasoning', null, null, 'Thinking'],
      ['tool_call', 'function_call', 'shell', 'c1', '{"command":["ls"]}'],
      ['tool_output', 'function_call_output', null, 'c1', 'a.txt'],
      ['tool_call', 'custom_tool_call', 'apply_patch', 'c2', '*** Begin Patch'],
      ['tool_output', 'custom_tool_call_output', null, 'c2', 'Done\n[Image]'],
      ['tool_call', 'local_shell_call', 'local_shell', 'c3', 'git status'],
      ['tool_call', 'web_search_call', 'web_search', null, 'zstd node'],
      ['compacted', null, null, null, 'Summary so far'],
      ['token_count', 'token_count', null, null, '{"input_tokens":1214'],
      ['event', 'agent_message', null, null, 'Hello'],
      ['event', 'task_started', null, null, '{"type":"task_starte'],
      ['unknown', null, null, null, null],
      ['unknown', 'ghost_snapshot', null, null, null],
      ['invalid', null, null, null, '{"timestamp":"2026-0'],
    ]);
    expect(items.every((i) => !i.text?.includes('secret'))).toBe(true);
    expect(items[0]!.timestamp).toMatch(/^2026-/);
    expect(items[4]!.bytes).toBe(Buffer.byteLength(lines[4]!));
  });

  it('maps legacy lines', async () => {
    const lines = [
      JSON.stringify({ id: '5f0c2d1e-0000-4000-8000-123456789abc', timestamp: '2025-08-20T14:03:11.512Z' }),
      JSON.stringify({ record_type: 'state' }),
      JSON.stringify({
        type: 'message',
        id: null,
        role: 'user',
        content: [{ type: 'input_text', text: 'fix it' }],
      }),
      JSON.stringify({
        type: 'function_call',
        id: 'fc_1',
        name: 'shell',
        arguments: '{}',
        call_id: 'call_1',
      }),
    ];
    const { items } = await readTranscriptPage(writeRollout(tempDir(), lines), 0, 10);
    expect(items.map((i) => [i.kind, i.lineType, i.timestamp])).toEqual([
      ['session_meta', null, null],
      ['unknown', null, null],
      ['user_message', 'message', null],
      ['tool_call', 'function_call', null],
    ]);
  });

  it('caps text at 32 KiB', async () => {
    const long = 'é'.repeat(MAX_ITEM_TEXT + 10);
    const { items } = await readTranscriptPage(
      writeRollout(tempDir(), [responseMessage('user', long)]),
      0,
      1,
    );
    expect(items[0]!.text).toHaveLength(MAX_ITEM_TEXT);
    expect(items[0]!.textTruncated).toBe(true);
  });

  it('pages .jsonl.zst files the same way', async () => {
    const text = generated(1000);
    const plain = writeRollout(tempDir(), text);
    const zst = `${plain}.zst`;
    writeFileSync(zst, zstdCompressSync(readFileSync(plain)));
    for (const [offset, limit] of [
      [0, 10],
      [500, 100],
      [990, 50],
      [1000, 5],
      [640, 3],
    ] as const) {
      const a = await readTranscriptPage(plain, offset, limit);
      const b = await readTranscriptPage(zst, offset, limit);
      expect({ ...b, fileSize: 0 }).toEqual({ ...a, fileSize: 0 });
      expect(b.fileSize).toBe(statSync(zst).size);
    }
  });
});
