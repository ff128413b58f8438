import { afterAll, describe, expect, it } from 'vitest';
import type { TranscriptItem } from '../../preload/contract/transcript.ts';
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
import { PAIR_WINDOW, readTranscriptPage } from './transcript.ts';
import { toTranscriptItem } from './transcript-item.ts';
import { MAX_INLINE_IMAGE, MAX_ITEM_TEXT } from './transcript-text.ts';
import { commandText, parseOutputText } from './transcript-tools.ts';

afterAll(removeTempDirs);

const item = (text: string, position = 0): TranscriptItem => toTranscriptItem(position, text, text.length);
const call = (name: string, args: unknown, id = 'c1') =>
  line('response_item', { type: 'function_call', name, arguments: JSON.stringify(args), call_id: id });
const output = (id: string, text: unknown) =>
  line('response_item', { type: 'function_call_output', call_id: id, output: text });

describe('toTranscriptItem', () => {
  it('maps messages, hiding the event duplicates and marking injected context', () => {
    expect(item(responseMessage('user', 'fix the test'))).toMatchObject({
      kind: 'message',
      role: 'user',
      text: { text: 'fix the test', omitted: 0 },
      injected: false,
      hidden: false,
      lineType: 'response_item',
      payloadType: 'message',
    });
    expect(item(responseMessage('user', '<environment_context>\n<cwd>/p</cwd>'))).toMatchObject({
      injected: true,
    });
    expect(item(responseMessage('developer', 'rules'))).toMatchObject({ role: 'developer', injected: true });
    expect(item(event('user_message', { message: 'fix the test' }))).toMatchObject({
      kind: 'message',
      hidden: true,
    });
    expect(item(event('agent_message', { message: 'Done' }))).toMatchObject({
      kind: 'message',
      role: 'assistant',
      hidden: true,
    });
    expect(item(event('agent_reasoning', { text: 'hmm' }))).toMatchObject({
      kind: 'reasoning',
      hidden: true,
    });
  });

  it('keeps only reasoning summaries, never encrypted content', () => {
    const r = item(
      line('response_item', {
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: '**Plan**' }],
        encrypted_content: 'gAAAAsecret',
      }),
    );
    expect(r).toMatchObject({
      kind: 'reasoning',
      text: { text: '**Plan**' },
      encrypted: true,
      hidden: false,
    });
    expect(JSON.stringify(r)).not.toContain('secret');
    const empty = item(
      line('response_item', { type: 'reasoning', summary: [], encrypted_content: 'gAAAAx' }),
    );
    expect(empty).toMatchObject({ kind: 'reasoning', hidden: true });
  });

  it('parses tool call arguments into cards', () => {
    expect(
      item(call('shell', { command: ['bash', '-lc', 'pytest -q'], workdir: '/p', timeout_ms: 5000 })),
    ).toMatchObject({
      kind: 'tool_call',
      name: 'shell',
      callId: 'c1',
      call: {
        tool: 'shell',
        command: 'pytest -q',
        argv: ['bash', '-lc', 'pytest -q'],
        workdir: '/p',
        timeoutMs: 5000,
      },
    });
    expect(item(call('exec_command', { cmd: 'rg -n x', workdir: '/w' }))).toMatchObject({
      call: { tool: 'shell', command: 'rg -n x', argv: null, workdir: '/w' },
    });
    expect(item(call('shell_command', { command: 'ls' }))).toMatchObject({
      call: { tool: 'shell', command: 'ls' },
    });
    expect(item(call('mcp__vector-memory__get_memory_stats', {}))).toMatchObject({
      call: { tool: 'mcp', server: 'vector-memory', name: 'get_memory_stats', arguments: '{}' },
    });
    expect(item(call('update_plan', { plan: [{ step: 'a', status: 'completed' }] }))).toMatchObject({
      call: { tool: 'plan', steps: [{ step: 'a', status: 'completed' }] },
    });
    expect(
      item(call('spawn_agent', { agent_type: 'explorer', message: 'Review:\n1) a', n: 2 })),
    ).toMatchObject({
      call: { tool: 'other', arguments: { text: 'agent_type: explorer\nmessage:\n  Review:\n  1) a\nn: 2' } },
    });
    expect(item(call('list_mcp_resources', {}))).toMatchObject({ call: { tool: 'other', arguments: null } });
    const patch = line('response_item', {
      type: 'custom_tool_call',
      name: 'apply_patch',
      input: '*** Begin Patch\n',
      call_id: 'p',
    });
    expect(item(patch)).toMatchObject({ call: { tool: 'patch', patch: { text: '*** Begin Patch\n' } } });
    const script = line('response_item', {
      type: 'custom_tool_call',
      name: 'exec',
      input: 'const r = 1',
      call_id: 's',
    });
    expect(item(script)).toMatchObject({ call: { tool: 'script', code: { text: 'const r = 1' } } });
    const search = line('response_item', {
      type: 'web_search_call',
      action: { type: 'search', query: 'zstd node' },
    });
    expect(item(search)).toMatchObject({
      name: 'web_search',
      call: { tool: 'web_search', action: 'search', query: 'zstd node' },
    });
    expect(commandText(['git', 'commit', '-m', "it's done"])).toBe(`git commit -m 'it'\\''s done'`);
  });

  it('reads exit codes and durations from every output convention', () => {
    expect(parseOutputText('Exit code: 2\nWall time: 0.5 seconds\nOutput:\nboom', 3)).toMatchObject({
      exitCode: 2,
      durationMs: 500,
      success: false,
      output: { text: 'boom' },
      positions: [3],
    });
    expect(
      parseOutputText(
        'Chunk ID: 1a\nWall time: 0.0400 seconds\nProcess exited with code 0\nOriginal token count: 3\nOutput:\nok',
        0,
      ),
    ).toMatchObject({ exitCode: 0, durationMs: 40, success: true, output: { text: 'ok' } });
    expect(
      parseOutputText('{"output":"1 failed","metadata":{"exit_code":1,"duration_seconds":0.8}}', 0),
    ).toMatchObject({
      exitCode: 1,
      durationMs: 800,
      success: false,
      output: { text: '1 failed' },
    });
    expect(parseOutputText('Script failed\nWall time 1.9 seconds\nOutput:\nTypeError', 0)).toMatchObject({
      success: false,
      durationMs: 1900,
      output: { text: 'TypeError' },
    });
    expect(parseOutputText('Plan updated', 0)).toMatchObject({
      exitCode: null,
      success: null,
      output: { text: 'Plan updated' },
    });
    expect(parseOutputText('exec command rejected by user', 0)).toMatchObject({ success: false });
    const long = parseOutputText(`Exit code: 0\nOutput:\n${'a'.repeat(100_000)}END`, 0);
    expect(long.output?.tail?.endsWith('END')).toBe(true);
    expect(long.output?.omitted).toBeGreaterThan(80_000);
  });

  it('maps end events, turns, errors, compaction and token usage', () => {
    const end = item(
      event('exec_command_end', {
        call_id: 'c1',
        exit_code: 1,
        duration: { secs: 2, nanos: 500_000_000 },
        aggregated_output: 'x',
      }),
    );
    expect(end).toMatchObject({
      kind: 'tool_output',
      callId: 'c1',
      result: { exitCode: 1, durationMs: 2500, success: false },
    });
    const patched = item(
      event('patch_apply_end', {
        call_id: 'p',
        success: true,
        stdout: 'Done',
        changes: { '/a.ts': { type: 'add' }, '/b.ts': { type: 'update', move_path: '/c.ts' } },
      }),
    );
    expect(patched).toMatchObject({
      result: {
        success: true,
        changes: [
          { path: '/a.ts', change: 'add' },
          { path: '/b.ts', change: 'move' },
        ],
      },
    });
    expect(item(event('task_started', { turn_id: 't1', collaboration_mode_kind: 'plan' }))).toMatchObject({
      kind: 'turn_start',
      turnId: 't1',
      mode: 'plan',
    });
    expect(item(event('task_complete', { turn_id: 't1', duration_ms: 1200 }))).toMatchObject({
      kind: 'turn_end',
      status: 'complete',
      durationMs: 1200,
    });
    expect(item(event('turn_aborted', { reason: 'interrupted' }))).toMatchObject({
      kind: 'turn_end',
      status: 'aborted',
      reason: 'interrupted',
    });
    expect(item(event('error', { message: 'Rate limited' }))).toMatchObject({
      kind: 'error',
      message: 'Rate limited',
      hidden: false,
    });
    expect(item(event('stream_error', { message: 'Reconnecting' }))).toMatchObject({ kind: 'error' });
    expect(item(line('compacted', { message: 'Summary' }))).toMatchObject({
      kind: 'compaction',
      text: { text: 'Summary' },
    });
    expect(item(tokenCount(1234))).toMatchObject({
      kind: 'token_count',
      hidden: true,
      total: { total: 1234, output: 20 },
    });
    expect(item(tokenCount(null))).toMatchObject({ kind: 'token_count', total: null });
    expect(item(sessionMeta())).toMatchObject({
      kind: 'session_meta',
      cwd: expect.any(String) as string,
      hidden: false,
    });
  });

  it('survives bad JSON, unknown types and huge lines', () => {
    expect(item('{"type":"response_item","payload":{"type":"mess')).toMatchObject({
      kind: 'invalid',
      hidden: false,
    });
    expect(item('[1,2]')).toMatchObject({ kind: 'invalid' });
    expect(item(line('brand_new_line', { x: 1 }))).toMatchObject({
      kind: 'unknown',
      text: 'brand_new_line',
      hidden: true,
    });
    expect(item(event('brand_new_event', {}))).toMatchObject({
      kind: 'event',
      name: 'brand_new_event',
      hidden: true,
    });
    expect(item(line('response_item', { type: 'brand_new_item' }))).toMatchObject({
      kind: 'unknown',
      hidden: true,
    });
    expect(item(JSON.stringify({ record_type: 'state' }))).toMatchObject({ kind: 'unknown', hidden: true });
    const huge = item(responseMessage('user', 'é'.repeat(MAX_ITEM_TEXT + 10)));
    expect(huge).toMatchObject({ kind: 'message', text: { omitted: 10 } });
    if (huge.kind === 'message') expect(huge.text.text).toHaveLength(MAX_ITEM_TEXT);
  });

  it('ships small images as data URLs and large ones as a size', () => {
    const small = `data:image/png;base64,${'A'.repeat(1000)}`;
    const large = `data:image/png;base64,${'A'.repeat(MAX_INLINE_IMAGE + 10)}`;
    const msg = item(
      line('response_item', {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'look' },
          { type: 'input_image', image_url: small },
          { type: 'input_image', image_url: large },
        ],
      }),
    );
    expect(msg).toMatchObject({
      images: [
        { kind: 'image', mime: 'image/png', dataUrl: small, bytes: 750 },
        { kind: 'image', mime: 'image/png', dataUrl: null },
      ],
    });
  });
});

describe('pairing outputs with their calls', () => {
  it('folds outputs into the call card, across page edges, within the window only', async () => {
    const lines = [
      sessionMeta(),
      ...Array.from({ length: 98 }, (_, i) => responseMessage('assistant', `m${i}`)),
      call('shell', { command: ['ls'] }, 'edge'), // position 99
      output('edge', 'Exit code: 0\nWall time: 1 seconds\nOutput:\na.txt'), // 100
      event('exec_command_end', { call_id: 'edge', exit_code: 0, duration: { secs: 1, nanos: 0 } }), // 101
      call('shell', { command: ['false'] }, 'far'), // 102
      ...Array.from({ length: PAIR_WINDOW }, (_, i) => responseMessage('assistant', `n${i}`)),
      output('far', 'Exit code: 1\nOutput:\n'), // 103 + PAIR_WINDOW: too far
      output('orphan', 'hello'),
    ];
    const path = writeRollout(tempDir('pairing'), lines);
    const first = await readTranscriptPage(path, 0, 100);
    expect(first.items[99]).toMatchObject({
      kind: 'tool_call',
      callId: 'edge',
      result: {
        exitCode: 0,
        durationMs: 1000,
        success: true,
        output: { text: 'a.txt' },
        positions: [100, 101],
      },
    });
    const second = await readTranscriptPage(path, 100, 200);
    const byPos = new Map(second.items.map((i) => [i.position, i]));
    expect(byPos.get(100)).toMatchObject({ kind: 'tool_output', hidden: true, pairedWith: 99 });
    expect(byPos.get(101)).toMatchObject({ kind: 'tool_output', hidden: true, pairedWith: 99 });
    expect(byPos.get(102)).toMatchObject({ kind: 'tool_call', callId: 'far', result: null });
    expect(byPos.get(103 + PAIR_WINDOW)).toMatchObject({
      kind: 'tool_output',
      hidden: false,
      pairedWith: null,
      result: { exitCode: 1 },
    });
    expect(byPos.get(104 + PAIR_WINDOW)).toMatchObject({
      kind: 'tool_output',
      hidden: false,
      callId: 'orphan',
    });
  });
});
