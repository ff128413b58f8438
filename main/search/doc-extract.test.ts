import { describe, expect, it } from 'vitest';
import { LineDocReader, stripOutputHeader } from './doc-extract.ts';
import { sampleText } from './text-sample.ts';

const ts = '2026-03-01T10:00:00.000Z';
const env = (type: string, payload: unknown): string => JSON.stringify({ timestamp: ts, type, payload });
const read = (line: string, reader = new LineDocReader()) => {
  const buf = Buffer.from(line);
  return reader.read(buf, 0, buf.length);
};

describe('LineDocReader', () => {
  it('keeps one copy of duplicated content and skips what nobody searches for', () => {
    const user = 'fix the parser';
    expect(read(env('event_msg', { type: 'user_message', message: user }))).toEqual({
      kind: 'user',
      tool: null,
      body: user,
    });
    // The response item copy carries injected context too: envelope files use the event.
    expect(
      read(
        env('response_item', {
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: user }],
        }),
      ),
    ).toBeNull();
    expect(read(env('event_msg', { type: 'agent_message', message: 'done' }))).toBeNull();
    expect(read(env('event_msg', { type: 'agent_reasoning', text: 'thinking' }))).toBeNull();
    expect(
      read(
        env('response_item', {
          type: 'message',
          role: 'developer',
          content: [{ type: 'input_text', text: 'rules' }],
        }),
      ),
    ).toBeNull();
    expect(read(env('turn_context', { cwd: '/x', model: 'gpt-5' }))).toBeNull();
    expect(
      read(
        env('response_item', {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'done' }],
        }),
      ),
    ).toEqual({
      kind: 'assistant',
      tool: null,
      body: 'done',
    });
  });

  it('reads reasoning summaries, never encrypted content', () => {
    const line = env('response_item', {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Plan the fix' }],
      content: null,
      encrypted_content: `gAAAA${'x'.repeat(5000)}`,
    });
    expect(read(line)).toEqual({ kind: 'reasoning', tool: null, body: 'Plan the fix' });
    expect(
      read(env('response_item', { type: 'reasoning', summary: [], encrypted_content: 'gAAAAsecret' })),
    ).toBeNull();
  });

  it('names outputs after their call, strips the output header and samples long outputs', () => {
    const reader = new LineDocReader();
    const call = env('response_item', {
      type: 'function_call',
      name: 'exec_command',
      arguments: '{"cmd":"rg -n foo src"}',
      call_id: 'c1',
    });
    expect(read(call, reader)).toEqual({ kind: 'tool_call', tool: 'exec_command', body: 'rg -n foo src' });
    const long = `Chunk ID: ab12\nWall time: 0.1 seconds\nProcess exited with code 0\nOutput:\nfirst ${'middle '.repeat(3000)}last`;
    const doc = read(
      env('response_item', { type: 'function_call_output', call_id: 'c1', output: long }),
      reader,
    );
    expect(doc?.kind).toBe('tool_output');
    expect(doc?.tool).toBe('exec_command');
    expect(doc?.body.startsWith('first middle')).toBe(true);
    expect(doc?.body.endsWith('middle last')).toBe(true);
    expect(doc?.body.length).toBeLessThan(2200);
    expect(doc?.body).not.toContain('Chunk ID');
  });

  it('uses legacy user items except injected context, and skips lines that are not JSON objects', () => {
    const legacy = (text: string): string =>
      JSON.stringify({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
    expect(read(legacy('why is it slow?'))).toEqual({ kind: 'user', tool: null, body: 'why is it slow?' });
    expect(read(legacy('<environment_context>cwd</environment_context>'))).toBeNull();
    expect(read('{not json')).toBeNull();
    expect(read('[1,2]')).toBeNull();
  });
});

describe('text sampling', () => {
  it('keeps head and tail at word boundaries', () => {
    const text = `${'a'.repeat(10)} ${'word '.repeat(2000)}end`;
    const s = sampleText(text, 100);
    expect(s.startsWith('aaaaaaaaaa word')).toBe(true);
    expect(s).toContain(' … ');
    expect(s.endsWith('word end')).toBe(true);
    expect(sampleText('short')).toBe('short');
    expect(stripOutputHeader('Exit code: 0\nWall time: 0 seconds\nOutput:\nhello')).toBe('hello');
  });
});
