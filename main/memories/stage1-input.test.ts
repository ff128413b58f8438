import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/temp-dir.ts';
import {
  buildStage1Input,
  parseStage1Output,
  readMemoryItems,
  Stage1OutputError,
  truncateToTokens,
} from './stage1-input.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function file(lines: unknown[]): string {
  const t = makeTempDir('threadscope-stage1-');
  cleanups.push(t.cleanup);
  const p = join(t.dir, 'rollout.jsonl');
  writeFileSync(p, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return p;
}

const env = (payload: unknown) => ({ timestamp: '2026-03-01T10:00:00Z', type: 'response_item', payload });

describe('stage-1 input (seed §5.8)', () => {
  it('keeps messages (not developer), tool calls and outputs, web searches; drops the rest', async () => {
    const path = file([
      { timestamp: 't', type: 'session_meta', payload: { id: 'x' } },
      env({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'perms' }] }),
      env({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix it' }] }),
      env({ type: 'reasoning', summary: [], encrypted_content: 'gAAAA' }),
      env({ type: 'function_call', name: 'shell', arguments: '{}', call_id: 'c1' }),
      env({ type: 'function_call_output', call_id: 'c1', output: 'ok' }),
      env({ type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch', call_id: 'c2' }),
      env({ type: 'custom_tool_call_output', call_id: 'c2', output: 'done' }),
      env({ type: 'web_search_call', action: { type: 'search', query: 'q' } }),
      env({ type: 'ghost_snapshot', ghost_commit: {} }),
      env({ type: 'compaction', encrypted_content: 'x' }),
      env({ type: 'image_generation_call', result: 'b64' }),
      env({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'fixed' }] }),
      { timestamp: 't', type: 'event_msg', payload: { type: 'user_message', message: 'fix it' } },
      'not json',
    ]);
    const items = await readMemoryItems(path);
    expect(items.map((i) => `${String(i.type)}${i.role ? `:${String(i.role)}` : ''}`)).toEqual([
      'message:user',
      'function_call',
      'function_call_output',
      'custom_tool_call',
      'custom_tool_call_output',
      'web_search_call',
      'message:assistant',
    ]);
  });

  it('reads legacy rollouts of bare items', async () => {
    const path = file([
      {
        id: '5f0c2d1e-0000-4000-8000-123456789abc',
        timestamp: '2025-08-20T14:03:11.512Z',
        instructions: null,
      },
      { record_type: 'state' },
      { type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'reasoning', id: 'rs', summary: [] },
      { type: 'function_call', id: 'fc', name: 'shell', arguments: '{}', call_id: 'c' },
    ]);
    expect((await readMemoryItems(path)).map((i) => i.type)).toEqual(['message', 'function_call']);
  });

  it('truncates to the token budget keeping head and tail halves (4 bytes a token)', () => {
    expect(truncateToTokens('abcdefgh', 2)).toBe('abcdefgh');
    expect(truncateToTokens('abcdefghij', 2)).toBe('abcd…1 tokens truncated…ghij');
    expect(truncateToTokens('x'.repeat(100), 5)).toBe(
      `${'x'.repeat(10)}…20 tokens truncated…${'x'.repeat(10)}`,
    );
    // Never splits a UTF-8 character.
    expect(truncateToTokens('é'.repeat(20), 2)).toBe('éé…8 tokens truncated…éé');
    expect(truncateToTokens(`a${'é'.repeat(10)}`, 1)).toBe('a…5 tokens truncated…é');
  });

  it('builds the user message with the rollout context and the items as a JSON array', async () => {
    const path = file([
      env({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix it' }] }),
    ]);
    const msg = await buildStage1Input({ rolloutPath: path, cwd: '/work/app' });
    expect(msg).toContain(`- rollout_path: ${path}\n- rollout_cwd: /work/app\n`);
    expect(msg).toContain(
      '[{"type":"message","role":"user","content":[{"type":"input_text","text":"fix it"}]}]',
    );
  });
});

describe('stage-1 output (seed §5.8 step 7)', () => {
  it('parses strictly, allows a missing or null slug, and redacts secrets with the seed placeholder', () => {
    expect(
      parseStage1Output(
        JSON.stringify({ rollout_summary: 's', rollout_slug: null, raw_memory: `key sk-${'a'.repeat(30)}` }),
      ),
    ).toEqual({ rolloutSummary: 's', rolloutSlug: null, rawMemory: 'key [REDACTED_SECRET]' });
    expect(parseStage1Output('{"rollout_summary":"","raw_memory":""}').rolloutSlug).toBeNull();
    for (const bad of [
      'nope',
      '[]',
      '{"rollout_summary":"s","raw_memory":"r","extra":1}',
      '{"rollout_summary":1,"raw_memory":""}',
      '{"rollout_summary":"","raw_memory":"","rollout_slug":3}',
    ])
      expect(() => parseStage1Output(bad)).toThrow(Stage1OutputError);
  });
});
