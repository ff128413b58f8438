/**
 * Builders for synthetic rollout files in tests. Values are invented; the shapes follow
 * shared/docs/rollout-format.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExtractResult } from './types.ts';

export const THREAD_ID = '019c2a00-1111-7222-8333-944455556666';
export const OTHER_ID = '019c2a00-9999-7222-8333-944455556666';
export const FILE_NAME = `rollout-2026-02-03T11-15-02-${THREAD_ID}.jsonl`;

const created: string[] = [];

export function tempDir(label = 'rollouts'): string {
  const dir = mkdtempSync(join(tmpdir(), `threadscope-rollouts-${label}-`));
  created.push(dir);
  return dir;
}

/** For `afterAll`: removes every folder made by `tempDir` in this test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `content` (lines joined with `\n`, each terminated, unless raw text/bytes are given). */
export function writeRollout(dir: string, content: string[] | string | Buffer, name = FILE_NAME): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  const data = Array.isArray(content) ? content.map((l) => `${l}\n`).join('') : content;
  writeFileSync(path, data);
  return path;
}

let clock = Date.UTC(2026, 1, 3, 10, 15, 2, 418);

/** Restarts the line clock, so files built twice are byte-identical. */
export function resetClock(ms = Date.UTC(2026, 1, 3, 10, 15, 2, 418)): void {
  clock = ms;
}

/** One envelope line; each call advances the line clock by one second unless `timestamp` is given. */
export function line(type: string, payload: unknown, timestamp?: string): string {
  const ts = timestamp ?? new Date((clock += 1000)).toISOString();
  return JSON.stringify({ timestamp: ts, type, payload });
}

export function sessionMeta(fields: Record<string, unknown> = {}): string {
  return line('session_meta', {
    id: THREAD_ID,
    timestamp: '2026-02-03T10:15:02.401Z',
    cwd: '/home/alice/proj',
    originator: 'codex_cli_rs',
    cli_version: '0.98.0',
    source: 'cli',
    model_provider: 'openai',
    base_instructions: { text: 'You are Codex, "a coding agent".\nBe \\careful\\.' },
    git: { commit_hash: '0123abcd', branch: 'main', repository_url: 'git@github.com:alice/proj.git' },
    ...fields,
  });
}

export function turnContext(fields: Record<string, unknown> = {}): string {
  return line('turn_context', {
    turn_id: 't1',
    cwd: '/home/alice/proj',
    approval_policy: 'on-request',
    sandbox_policy: { type: 'workspace-write', network_access: false },
    model: 'gpt-5.2-codex',
    effort: 'medium',
    summary: 'auto',
    ...fields,
  });
}

export function event(type: string, fields: Record<string, unknown> = {}): string {
  return line('event_msg', { type, ...fields });
}

export function userMessage(message: string, fields: Record<string, unknown> = {}): string {
  return event('user_message', { message, images: [], local_images: [], text_elements: [], ...fields });
}

export function tokenCount(total: number | null): string {
  if (total === null) return event('token_count', { info: null, rate_limits: null });
  const usage = { input_tokens: total - 20, cached_input_tokens: 0, output_tokens: 20, total_tokens: total };
  return event('token_count', {
    info: { total_token_usage: usage, last_token_usage: usage, model_context_window: 258400 },
    rate_limits: null,
  });
}

export function responseMessage(role: string, text: string): string {
  const partType = role === 'assistant' ? 'output_text' : 'input_text';
  return line('response_item', { type: 'message', role, content: [{ type: partType, text }] });
}

/** An assistant answer ending with a memory citation block (read_path.md's format) citing `ids`. */
export function citedAnswer(text: string, ids: string[], section = 'thread_ids'): string {
  const block =
    '<oai-mem-citation>\n<citation_entries>\nMEMORY.md:1-3|note=[earlier fix]\n</citation_entries>\n' +
    `<${section}>\n${ids.join('\n')}\n</${section}>\n</oai-mem-citation>`;
  return responseMessage('assistant', `${text}\n\n${block}`);
}

/** A function_call item, e.g. an MCP tool `mcp__server__tool`. */
export function functionCall(name: string, fields: Record<string, unknown> = {}): string {
  return line('response_item', {
    type: 'function_call',
    name,
    arguments: '{}',
    call_id: 'call_m',
    ...fields,
  });
}

export function webSearchCall(): string {
  return line('response_item', {
    type: 'web_search_call',
    status: 'completed',
    action: { type: 'search', query: 'vitest' },
  });
}

/**
 * One pass's worth of a first read and a resume: the resume's result with the per-pass fields (where
 * reading started, memory signals, explicit memory_mode) combined, which is what one pass over the whole
 * file reports.
 */
export function mergePasses(first: ExtractResult, second: ExtractResult): ExtractResult {
  const mode = second.memoryMode !== null ? second : first;
  const a = first.memory;
  const b = second.memory;
  const at = [a.pollutingAtMs, b.pollutingAtMs].filter((ms) => ms !== null);
  return {
    ...second,
    readFrom: first.readFrom,
    memoryMode: mode.memoryMode,
    memoryModeAtMs: mode.memoryModeAtMs,
    memory: {
      citations: [...a.citations, ...b.citations],
      polluting: a.polluting || b.polluting,
      pollutingAtMs: at.length > 0 ? Math.max(...at) : null,
    },
  };
}

/** A typical small thread: meta, context, one user turn with a tool call, tokens. */
export function basicThread(): string[] {
  return [
    sessionMeta(),
    responseMessage('developer', '<permissions instructions>…</permissions instructions>'),
    responseMessage('user', '<environment_context>cwd</environment_context>'),
    turnContext(),
    responseMessage('user', 'add a --verbose flag'),
    userMessage('add a --verbose flag'),
    tokenCount(null),
    line('response_item', {
      type: 'function_call',
      name: 'exec_command',
      arguments: '{"cmd":"rg -n verbose src"}',
      call_id: 'call_1',
    }),
    line('response_item', {
      type: 'function_call_output',
      call_id: 'call_1',
      output: 'Process exited with code 1',
    }),
    tokenCount(9120),
    responseMessage('assistant', 'Added the flag.'),
    event('agent_message', { message: 'Added the flag.' }),
    event('task_complete', { turn_id: 't1', last_agent_message: 'Added the flag.' }),
  ];
}
