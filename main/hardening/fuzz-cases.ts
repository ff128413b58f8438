/**
 * Deterministic hostile rollout files for the fuzz test: mutations of real fixtures (truncation, bit flips,
 * invalid UTF-8, NUL bytes, CRLF, shuffled lines) and synthetic lines (every known field with a wrong JSON
 * type, deep nesting, a huge line, empty and blank files). Shapes of the templates follow
 * shared/docs/rollout-format.md; values are invented.
 */

/** mulberry32: a small seeded PRNG, so a failing case can be rebuilt from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: () => number, n: number): number => Math.floor(r() * n);

export interface FuzzCase {
  name: string;
  data: Buffer;
}

const ID = '019c2a00-1111-7222-8333-944455556666';
const TS = '2026-02-03T10:15:02.401Z';

/** One valid line per kind the readers look at; each field of each is later replaced by a wrong type. */
export const TEMPLATES: Record<string, unknown> = {
  session_meta: {
    timestamp: TS,
    type: 'session_meta',
    payload: {
      id: ID,
      timestamp: TS,
      cwd: '/home/alice/proj',
      originator: 'codex_cli_rs',
      cli_version: '0.98.0',
      source: { subagent: { thread_spawn: { parent_thread_id: ID, depth: 1, agent_nickname: 'a' } } },
      model_provider: 'openai',
      memory_mode: 'enabled',
      forked_from_id: ID,
      dynamic_tools: [{ name: 't', description: 'd', inputSchema: {} }],
      base_instructions: { text: 'be careful' },
      git: { commit_hash: '0123abcd', branch: 'main', repository_url: 'git@github.com:alice/proj.git' },
    },
  },
  turn_context: {
    timestamp: TS,
    type: 'turn_context',
    payload: {
      cwd: '/home/alice/proj',
      model: 'gpt-5',
      effort: 'high',
      approval_policy: 'never',
      sandbox_policy: { mode: 'read-only' },
    },
  },
  user_message: {
    timestamp: TS,
    type: 'event_msg',
    payload: { type: 'user_message', message: 'fix the parser', images: [], kind: 'plain' },
  },
  token_count: {
    timestamp: TS,
    type: 'event_msg',
    payload: {
      type: 'token_count',
      info: {
        total_token_usage: {
          input_tokens: 1,
          cached_input_tokens: 0,
          output_tokens: 2,
          reasoning_output_tokens: 0,
          total_tokens: 3,
        },
        model_context_window: 1000,
      },
    },
  },
  exec_end: {
    timestamp: TS,
    type: 'event_msg',
    payload: {
      type: 'exec_command_end',
      call_id: 'c1',
      stdout: 'ok',
      stderr: '',
      exit_code: 0,
      duration: { secs: 1, nanos: 2 },
      command: ['ls'],
    },
  },
  item_completed: {
    timestamp: TS,
    type: 'event_msg',
    payload: {
      type: 'item_completed',
      item: { type: 'UserMessage', content: [{ type: 'text', text: 'hi' }] },
    },
  },
  message: {
    timestamp: TS,
    type: 'response_item',
    payload: {
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'done thread_ids: ' + ID }],
    },
  },
  reasoning: {
    timestamp: TS,
    type: 'response_item',
    payload: {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'plan' }],
      encrypted_content: 'xyz',
    },
  },
  function_call: {
    timestamp: TS,
    type: 'response_item',
    payload: { type: 'function_call', name: 'shell', arguments: '{"command":["ls","-la"]}', call_id: 'c1' },
  },
  function_call_output: {
    timestamp: TS,
    type: 'response_item',
    payload: { type: 'function_call_output', call_id: 'c1', output: 'Exit code: 0\nOutput:\nfile' },
  },
  custom_tool_call: {
    timestamp: TS,
    type: 'response_item',
    payload: {
      type: 'custom_tool_call',
      name: 'apply_patch',
      input: '*** Begin Patch\n*** End Patch',
      call_id: 'c2',
    },
  },
  local_shell_call: {
    timestamp: TS,
    type: 'response_item',
    payload: {
      type: 'local_shell_call',
      call_id: 'c3',
      status: 'completed',
      action: { type: 'exec', command: ['ls'] },
    },
  },
  web_search_call: {
    timestamp: TS,
    type: 'response_item',
    payload: {
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'search', query: 'q', queries: ['q'] },
    },
  },
  compacted: { timestamp: TS, type: 'compacted', payload: { message: 'summary', replacement_history: [] } },
  legacy_meta: { id: ID, timestamp: TS, instructions: null, git: { branch: 'main' } },
  legacy_item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] },
};

const WRONG_VALUES: unknown[] = [
  null,
  0,
  -1,
  0.5,
  1.5e308,
  -1e21,
  true,
  'x',
  '',
  [],
  {},
  [[null]],
  { a: { b: 1 } },
  '\u0000',
];

const line = (v: unknown): string => `${JSON.stringify(v)}\n`;

/** Every path to a value inside `v` (object keys and array indexes). */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [];
  const out: (string | number)[][] = [];
  for (const [k, child] of Object.entries(v)) {
    const key = Array.isArray(v) ? Number(k) : k;
    out.push([...prefix, key], ...paths(child, [...prefix, key]));
  }
  return out;
}

function replaced(v: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

/** One file per (template, field): a valid session_meta, then the template with that field set to each wrong type. */
export function wrongTypeCases(): FuzzCase[] {
  const meta = line(TEMPLATES.session_meta);
  const out: FuzzCase[] = [];
  for (const [kind, template] of Object.entries(TEMPLATES)) {
    for (const path of paths(template)) {
      const body = WRONG_VALUES.map((w) => line(replaced(template, path, w))).join('');
      const head = kind === 'session_meta' ? '' : meta;
      out.push({
        name: `wrong-type ${kind}.${path.join('.')}`,
        data: Buffer.from(head + body + line(template)),
      });
    }
  }
  // The whole line or its payload of the wrong type.
  const whole = WRONG_VALUES.map((w) => line(w)).join('');
  const payloads = ['session_meta', 'event_msg', 'response_item', 'turn_context', 'compacted']
    .flatMap((type) => WRONG_VALUES.map((w) => line({ timestamp: TS, type, payload: w })))
    .join('');
  out.push({ name: 'wrong-type whole lines', data: Buffer.from(meta + whole) });
  out.push({ name: 'wrong-type payloads', data: Buffer.from(payloads + meta + payloads) });
  return out;
}

function nested(depth: number, open: string, close: string, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** Fixed cases: empty, blank, NUL, CRLF, deep nesting, odd terminators. */
export function specialCases(): FuzzCase[] {
  const meta = line(TEMPLATES.session_meta);
  const all = Object.values(TEMPLATES).map(line).join('');
  const deepArr = nested(10_000, '[', ']', '1');
  const deepObj = nested(10_000, '{"a":', '}', '1');
  const deep = (type: string, payloadType: string, key: string, value: string): string =>
    `{"timestamp":"${TS}","type":"${type}","payload":{"type":"${payloadType}","${key}":${value},"call_id":"c1"}}\n`;
  return [
    { name: 'empty file', data: Buffer.alloc(0) },
    { name: 'whitespace-only file', data: Buffer.from(' \n\t\n\r\n   \n\n') },
    { name: 'newlines only', data: Buffer.from('\n'.repeat(10_000)) },
    { name: 'NUL bytes only', data: Buffer.alloc(4096) },
    { name: 'NUL lines', data: Buffer.from(`${meta}\u0000\n\u0000\u0000\u0000\n${all}`) },
    { name: 'NUL inside strings', data: Buffer.from(all.replaceAll('a', '\u0000')) },
    { name: 'CRLF everywhere', data: Buffer.from(all.replaceAll('\n', '\r\n')) },
    { name: 'CR only', data: Buffer.from(all.replaceAll('\n', '\r')) },
    { name: 'no final newline', data: Buffer.from(all.slice(0, -1)) },
    { name: 'BOM', data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(all)]) },
    { name: 'UTF-16LE', data: Buffer.from(all, 'utf16le') },
    { name: 'not JSON at all', data: Buffer.from('hello\nworld\n}{\n[\n"\n') },
    {
      name: 'garbled output headers',
      data: Buffer.from(
        meta +
          [
            'Exit code: 99999999999999999999\nWall time: 1.2.3 seconds\nOutput:\nx',
            'Wall time: 9'.padEnd(400, '9') + ' seconds\nOutput:\n',
          ]
            .map((output) =>
              line({
                timestamp: TS,
                type: 'response_item',
                payload: { type: 'function_call_output', call_id: 'c1', output },
              }),
            )
            .join(''),
      ),
    },
    {
      name: 'deep nesting',
      data: Buffer.from(
        meta +
          `${deepArr}\n${deepObj}\n` +
          deep('response_item', 'function_call', 'arguments', deepObj) +
          deep('response_item', 'function_call_output', 'output', deepArr) +
          deep('response_item', 'message', 'content', deepArr) +
          deep('event_msg', 'exec_command_end', 'command', deepArr) +
          deep('event_msg', 'user_message', 'message', deepObj) +
          `{"timestamp":"${TS}","type":"session_meta","payload":${deepObj}}\n` +
          `{"timestamp":"${TS}","type":"event_msg","payload":${deepObj}}\n` +
          `{"timestamp":"${TS}","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"x","extra":${deepObj}}]}}\n` +
          // Unbalanced: the parser must give up, not recurse.
          `${'['.repeat(10_000)}\n${'{"a":'.repeat(10_000)}\n`,
      ),
    },
  ];
}

/** A single line of about `bytes` bytes (a tool output, the shape that really gets huge), plus context. */
export function hugeLineCase(bytes: number): FuzzCase {
  const meta = line(TEMPLATES.session_meta);
  const call = line(TEMPLATES.function_call);
  const head = `{"timestamp":"${TS}","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"`;
  const tail = '"}}\n';
  const body = Buffer.alloc(bytes, 'a');
  // A few escapes and multi-byte characters spread through it.
  for (let i = 0; i + 8 < bytes; i += 1 << 20) body.write('\\n\u00e9\u4e2d', i);
  return {
    name: `huge line (${Math.round(bytes / 1e6)} MB)`,
    data: Buffer.concat([Buffer.from(meta + call + head), body, Buffer.from(tail + line(TEMPLATES.message))]),
  };
}

const INVALID_UTF8 = [
  [0xff],
  [0xc0, 0x80],
  [0x80],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc3],
];

/** One random mutation of `src`; the name says which, so a failure is reproducible from the seed. */
export function mutate(src: Buffer, r: () => number): { how: string; data: Buffer } {
  const at = (): number => int(r, src.length + 1);
  switch (int(r, 9)) {
    case 0: {
      const cut = at();
      return { how: `truncated at ${cut}`, data: src.subarray(0, cut) };
    }
    case 1: {
      const data = Buffer.from(src);
      const flips = 1 + int(r, 16);
      for (let i = 0; i < flips && data.length > 0; i++) data[int(r, data.length)]! ^= 1 << int(r, 8);
      return { how: `${flips} bit flips`, data };
    }
    case 2: {
      const parts: Buffer[] = [];
      let from = 0;
      const n = 1 + int(r, 12);
      const cuts = Array.from({ length: n }, at).sort((a, b) => a - b);
      for (const c of cuts) {
        parts.push(src.subarray(from, c), Buffer.from(INVALID_UTF8[int(r, INVALID_UTF8.length)]!));
        from = c;
      }
      parts.push(src.subarray(from));
      return { how: `${n} invalid UTF-8 sequences`, data: Buffer.concat(parts) };
    }
    case 3: {
      const data = Buffer.from(src);
      const n = 1 + int(r, 32);
      for (let i = 0; i < n && data.length > 0; i++) data[int(r, data.length)] = 0;
      return { how: `${n} NUL bytes`, data };
    }
    case 4:
      return { how: 'CRLF', data: Buffer.from(src.toString('latin1').replaceAll('\n', '\r\n'), 'latin1') };
    case 5: {
      const lines = src.toString('latin1').split('\n');
      for (let i = lines.length - 1; i > 0; i--) {
        const j = int(r, i + 1);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return { how: 'lines shuffled', data: Buffer.from(lines.join('\n'), 'latin1') };
    }
    case 6: {
      const a = at();
      const len = int(r, 4096);
      return {
        how: `${len} bytes deleted at ${a}`,
        data: Buffer.concat([src.subarray(0, a), src.subarray(a + len)]),
      };
    }
    case 7: {
      const a = at();
      const junk = Buffer.from(Array.from({ length: 1 + int(r, 64) }, () => int(r, 256)));
      return {
        how: `${junk.length} random bytes inserted at ${a}`,
        data: Buffer.concat([src.subarray(0, a), junk, src.subarray(a)]),
      };
    }
    default: {
      // A structural byte swapped for another one: quotes, braces, brackets, colons, backslashes.
      const data = Buffer.from(src);
      const marks = [0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x5c];
      const n = 1 + int(r, 8);
      for (let i = 0; i < n && data.length > 0; i++) data[int(r, data.length)] = marks[int(r, marks.length)]!;
      return { how: `${n} structural bytes`, data };
    }
  }
}
