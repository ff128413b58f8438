import { writeLines, createRng, rolloutFileName, type Rng } from '../main/test-support/synthetic-rollouts.ts';
import { join } from 'node:path';

/**
 * A rollout of exactly `lines` lines shaped like a long real session (format: shared/docs/rollout-format.md):
 * turns of a user prompt, reasoning with readable summaries, shell calls with outputs, an occasional
 * apply_patch, and an assistant answer in Markdown (headings, lists, tables, fenced code in several
 * languages), plus the event duplicates and token counts Codex writes beside them. The synthetic corpus
 * (main/test-support/synthetic-rollouts.ts) aims at byte mix and has no Markdown; the renderer benchmark
 * needs what the Thread page actually draws.
 */

export const RENDER_THREAD_ID = '019e9000-0000-7000-8000-00000000f4a3';
const CREATED = Date.UTC(2026, 5, 2, 8);

const WORDS = (
  'thread list query cache render parser offset cursor page limit token stream buffer worker ' +
  'schema migration index handler router session rollout transcript outline virtual window'
).split(' ');
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const words = (r: Rng, n: number): string => Array.from({ length: n }, () => pick(r, WORDS)).join(' ');
const sentence = (r: Rng): string => {
  const s = words(r, int(r, 6, 18));
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
};

const CODE: Record<string, (r: Rng) => string> = {
  ts: (r) =>
    [
      `export function ${pick(r, WORDS)}${int(r, 1, 99)}(input: ${pick(r, ['string', 'number[]', 'Thread'])}): boolean {`,
      `  const ${pick(r, WORDS)} = new Map<string, number>();`,
      `  for (const item of ${pick(r, WORDS)}s) {`,
      `    if (item.${pick(r, WORDS)} > ${int(r, 1, 500)}) return false; // ${words(r, 4)}`,
      `  }`,
      `  return ${pick(r, ['true', 'input.length > 0', '"ok" === status'])};`,
      `}`,
    ].join('\n'),
  bash: (r) =>
    [
      `npm run -s build && npx vitest run src/${pick(r, WORDS)}.test.ts`,
      `rg -n "${pick(r, WORDS)}" src | head -${int(r, 5, 40)}`,
      `git diff --stat HEAD~${int(r, 1, 5)}`,
    ].join('\n'),
  json: (r) =>
    JSON.stringify(
      { [pick(r, WORDS)]: int(r, 0, 9999), items: [words(r, 2), words(r, 2)], ok: r() < 0.5 },
      null,
      2,
    ),
  python: (r) =>
    [
      `def ${pick(r, WORDS)}_${pick(r, WORDS)}(rows):`,
      `    """${sentence(r)}"""`,
      `    return [r for r in rows if r["${pick(r, WORDS)}"] > ${int(r, 1, 50)}]`,
    ].join('\n'),
};

function answer(r: Rng): string {
  const parts = [`## ${sentence(r).slice(0, -1)}`, sentence(r) + ' ' + sentence(r)];
  parts.push(
    Array.from({ length: int(r, 2, 5) }, () => `- \`${pick(r, WORDS)}\`: ${sentence(r)}`).join('\n'),
  );
  for (let k = int(r, 1, 2); k > 0; k--) {
    const lang = pick(r, Object.keys(CODE));
    parts.push(`\`\`\`${lang}\n${CODE[lang]?.(r) ?? ''}\n\`\`\``);
    parts.push(sentence(r));
  }
  if (r() < 0.4)
    parts.push(
      `| file | change |\n| --- | --- |\n` +
        Array.from({ length: int(r, 2, 4) }, () => `| src/${pick(r, WORDS)}.ts | ${words(r, 3)} |`).join(
          '\n',
        ),
    );
  if (r() < 0.3)
    parts.push(`> **Note:** ${sentence(r)} See [the docs](https://example.com/${pick(r, WORDS)}).`);
  return parts.join('\n\n');
}

const q = JSON.stringify;

/** Writes the rollout under `<codexHome>/sessions/…` and returns its path. */
export function writeRenderTranscript(codexHome: string, lines: number, seed: number): string {
  const r = createRng(seed ^ 0x7e4d);
  const id = RENDER_THREAD_ID;
  const path = join(codexHome, 'sessions', '2026', '06', '02', rolloutFileName(CREATED, id));
  let clock = CREATED;
  const line = (type: string, payload: string): string => {
    clock += int(r, 20, 4000);
    return `{"timestamp":"${new Date(clock).toISOString()}","type":"${type}","payload":${payload}}`;
  };
  const cwd = '/home/dev/src/threadscope';
  const out: string[] = [
    line(
      'session_meta',
      `{"id":"${id}","timestamp":"${new Date(CREATED).toISOString()}","cwd":${q(cwd)},"originator":"codex_cli_rs",` +
        `"cli_version":"0.146.0","source":"cli","model_provider":"openai","git":{"branch":"main"}}`,
    ),
  ];
  let tokens = 0;
  const tokenCount = (): string => {
    tokens += int(r, 2000, 30_000);
    return line(
      'event_msg',
      `{"type":"token_count","info":{"total_token_usage":{"input_tokens":${tokens},"output_tokens":${tokens >> 5},` +
        `"total_tokens":${tokens + (tokens >> 5)}},"model_context_window":258400}}`,
    );
  };
  for (let turn = 0; out.length < lines; turn++) {
    const prompt = `${pick(r, ['fix', 'explain', 'speed up', 'add tests for'])} the ${words(r, 2)} (step ${turn + 1})`;
    out.push(
      line('event_msg', `{"type":"task_started","turn_id":"turn-${turn}","model_context_window":258400}`),
      line(
        'turn_context',
        `{"cwd":${q(cwd)},"approval_policy":"on-request","sandbox_policy":{"type":"workspace-write"},"model":"gpt-5.5","summary":"auto"}`,
      ),
      line(
        'response_item',
        `{"type":"message","role":"user","content":[{"type":"input_text","text":${q(prompt)}}]}`,
      ),
      line('event_msg', `{"type":"user_message","message":${q(prompt)},"images":[]}`),
    );
    for (let s = int(r, 2, 8); s > 0; s--) {
      const summary = `**${words(r, 3)}**\n\n${sentence(r)} ${sentence(r)}`;
      out.push(
        line(
          'response_item',
          `{"type":"reasoning","summary":[{"type":"summary_text","text":${q(summary)}}],"content":null,"encrypted_content":"gAAAAB${'x'.repeat(int(r, 200, 1200))}"}`,
        ),
        line('event_msg', `{"type":"agent_reasoning","text":${q(summary)}}`),
      );
      const call = `call_${turn}_${s}`;
      if (r() < 0.15) {
        const file = `src/${pick(r, WORDS)}.ts`;
        const patch = `*** Begin Patch\n*** Update File: ${file}\n@@\n-${words(r, 6)}\n+${words(r, 6)}\n+${words(r, 5)}\n*** End Patch`;
        out.push(
          line(
            'response_item',
            `{"type":"custom_tool_call","status":"completed","call_id":"${call}","name":"apply_patch","input":${q(patch)}}`,
          ),
          line(
            'response_item',
            `{"type":"custom_tool_call_output","call_id":"${call}","output":${q(q({ output: `Success. Updated the following files:\nM ${file}\n`, metadata: { exit_code: 0 } }))}}`,
          ),
        );
      } else {
        const output = Array.from(
          { length: int(r, 1, 40) },
          () => `src/${pick(r, WORDS)}/${pick(r, WORDS)}.ts:${int(r, 1, 900)}: ${words(r, 5)}`,
        ).join('\n');
        out.push(
          line(
            'response_item',
            `{"type":"function_call","name":"exec_command","arguments":${q(q({ cmd: `rg -n ${pick(r, WORDS)} src`, workdir: cwd }))},"call_id":"${call}"}`,
          ),
          line(
            'response_item',
            `{"type":"function_call_output","call_id":"${call}","output":${q(`Process exited with code 0\nOutput:\n${output}`)}}`,
          ),
        );
      }
      out.push(tokenCount());
    }
    const text = answer(r);
    out.push(
      line(
        'response_item',
        `{"type":"message","role":"assistant","content":[{"type":"output_text","text":${q(text)}}],"phase":"final_answer"}`,
      ),
      line('event_msg', `{"type":"agent_message","message":${q(text)},"phase":"final_answer"}`),
      tokenCount(),
      line('event_msg', `{"type":"task_complete","turn_id":"turn-${turn}","last_agent_message":"Done."}`),
    );
  }
  writeLines(path, out.slice(0, lines));
  return path;
}
