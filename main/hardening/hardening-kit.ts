import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApiErrorShape, Channel, Input, Output } from '../../preload/contract/index.ts';
import type { AppCore } from '../app/app-core.ts';
import { rolloutFileName } from '../test-support/synthetic-rollouts.ts';

/** Shared by the hardening tests: calls through the router, rollouts in a CODEX_HOME layout. */
export const testCtx = { transport: 'test' } as const;

export type Outcome<C extends Channel> = { ok: true; value: Output<C> } | { ok: false; error: ApiErrorShape };

/** One call through the router (validated and cloned as over IPC). */
export async function dispatch<C extends Channel>(
  core: AppCore,
  channel: C,
  input: Input<C>,
): Promise<Outcome<C>> {
  return (await core.router.dispatch(channel, input, testCtx)) as Outcome<C>;
}

/** Like `dispatch`, but the value or a thrown Error carrying the contract error. */
export async function call<C extends Channel>(
  core: AppCore,
  channel: C,
  input: Input<C>,
): Promise<Output<C>> {
  const r = await dispatch(core, channel, input);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The opening lines of a CLI thread: session_meta, turn_context, the user's prompt, an answer. */
export function threadHead(id: string, createdMs: number): string[] {
  const env = (type: string, payload: unknown, ms: number): string =>
    JSON.stringify({ timestamp: iso(ms), type, payload });
  return [
    env(
      'session_meta',
      {
        id,
        timestamp: iso(createdMs),
        cwd: '/home/dev/proj',
        originator: 'codex_cli_rs',
        cli_version: '0.98.0',
        source: 'cli',
        model_provider: 'openai',
      },
      createdMs,
    ),
    env('turn_context', { turn_id: 't1', cwd: '/home/dev/proj', model: 'gpt-5.2-codex' }, createdMs + 1),
    env(
      'event_msg',
      {
        type: 'user_message',
        message: 'Fix the flaky test',
        images: [],
        local_images: [],
        text_elements: [],
      },
      createdMs + 2,
    ),
    env(
      'response_item',
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
      createdMs + 3,
    ),
  ];
}

/** Writes `lines` as `sessions/YYYY/MM/DD/rollout-…-<id>.jsonl` under `codexHome`; returns the path. */
export function writeThreadRollout(
  codexHome: string,
  id: string,
  createdMs: number,
  lines: string[],
): string {
  const day = iso(createdMs).slice(0, 10).split('-');
  const path = join(codexHome, 'sessions', ...day, rolloutFileName(createdMs, id));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

/** A uuid v7-looking id whose last group is `n` (distinct, valid for the rollout name pattern). */
export function threadId(n: number): string {
  return `019c2a00-1111-7222-8333-${n.toString(16).padStart(12, '0')}`;
}
