/**
 * Deterministic synthetic CODEX_HOME for tests and benchmarks (format: shared/docs/rollout-format.md).
 * Content is stitched from pre-generated pools so gigabytes are written at disk speed: big lines are
 * pool slices (reasoning `encrypted_content`, tool output), small lines are templates. The byte mix
 * follows real rollouts: mostly large reasoning / function_call_output lines, few small metadata lines.
 */
import { closeSync, futimesSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Bump whenever the bytes produced for a given seed change, so cached corpora get regenerated. */
export const SYNTHETIC_VERSION = 1;

export interface SyntheticHomeOptions {
  threads: number;
  targetBytes: number;
  seed: number;
  archivedShare?: number;
  subagentShare?: number;
  /** Share of (the oldest) threads written in the pre-0.32 legacy format (§9.1). */
  legacyShare?: number;
  /** Log-normal shape of the file sizes. */
  sizeSigma?: number;
  minFileBytes?: number;
  /** Creation time of the newest thread; threads spread over `spanDays` before it. */
  endMs?: number;
  spanDays?: number;
  /** Sprinkle empty files, truncated last lines, invalid UTF-8 and unknown line types (default true). */
  edgeCases?: boolean;
}

export type SyntheticSource = 'cli' | 'vscode' | 'exec' | 'review' | 'subagent';
export type SyntheticEdge = 'empty' | 'truncated' | 'invalid-utf8' | null;

export interface SyntheticThread {
  id: string;
  path: string;
  /** Actual size on disk. */
  bytes: number;
  createdMs: number;
  updatedMs: number;
  archived: boolean;
  legacy: boolean;
  source: SyntheticSource;
  parentId: string | null;
  depth: number;
  cwd: string;
  model: string;
  branch: string | null;
  /** First user request ('' when the thread has none). */
  title: string;
  edge: SyntheticEdge;
}

export interface SyntheticHome {
  codexHome: string;
  threads: SyntheticThread[];
  totalBytes: number;
}

// ---------- randomness ----------
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for shaping test data. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const normal = (r: Rng): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const logNormal = (r: Rng, mu: number, sigma: number): number => Math.exp(mu + sigma * normal(r));
const hex = (r: Rng, n: number): string => {
  let s = '';
  while (s.length < n)
    s += Math.floor(r() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return s.slice(0, n);
};

/** UUID v7 (ms timestamp first) so ids sort by creation time, as Codex ≥ 0.39 writes them. */
export function uuidV7(ms: number, r: Rng): string {
  const t = Math.floor(ms).toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(r, 3)}-${pick(r, ['8', '9', 'a', 'b'])}${hex(r, 3)}-${hex(r, 12)}`;
}
const uuidV4 = (r: Rng): string =>
  `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${pick(r, ['8', '9', 'a', 'b'])}${hex(r, 3)}-${hex(r, 12)}`;

/** `rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl` (the wall-clock part written as UTC). */
export function rolloutFileName(createdMs: number, id: string): string {
  return `rollout-${new Date(createdMs).toISOString().slice(0, 19).replaceAll(':', '-')}-${id}.jsonl`;
}

// ---------- pools ----------
const POOL = 4 << 20;
interface Pools {
  b64: string;
  /** JSON-escaped ASCII text; its only escapes are the two-character `\n`, `\t`, `\"`. */
  text: string;
}
const poolCache = new Map<number, Pools>();
const WORDS = (
  'const return await import export function src test fixture error config parser index value result ' +
  'thread rollout session token buffer stream client server request response cache query update model record handler ' +
  'router schema option default render component ingest offset cursor page limit'
).split(' ');

function pools(seed: number): Pools {
  const hit = poolCache.get(seed);
  if (hit) return hit;
  const r = createRng(seed ^ 0x5eed);
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const b = Buffer.allocUnsafe(POOL);
  for (let i = 0; i < POOL; i += 4) {
    const x = (r() * 0x1000000) >>> 0;
    for (let k = 0; k < 4; k++) b[i + k] = B64.charCodeAt((x >>> (6 * k)) & 63);
  }
  const lines: string[] = [];
  let len = 0;
  while (len < POOL + 4096) {
    const w = (): string => pick(r, WORDS);
    const line =
      r() < 0.4
        ? `src/${w()}/${w()}.ts:${int(r, 1, 900)}:${' '.repeat(int(r, 0, 8))}${w()} ${w()} = ${w()}(\\"${w()}\\");`
        : r() < 0.5
          ? `\\t${w()} ${w()} ${w()} ${int(r, 0, 99999)} ${w()}.${w()}`
          : `${w()} ${w()} ${w()} ${w()} ${w()} ${w()}`;
    lines.push(line);
    len += line.length + 2;
  }
  const p = { b64: b.toString('latin1'), text: lines.join('\\n') };
  poolCache.set(seed, p);
  return p;
}

/** `len` bytes of base64-ish text (exact). */
function b64(p: Pools, r: Rng, len: number): string {
  let s = '';
  for (let left = len; left > 0;) {
    const n = Math.min(left, POOL);
    const at = int(r, 0, POOL - n);
    s += p.b64.slice(at, at + n);
    left -= n;
  }
  return s;
}
/** About `len` bytes of JSON-escaped text, never cutting an escape in half. */
function text(p: Pools, r: Rng, len: number): string {
  let s = '';
  for (let left = len; left > 0;) {
    const n = Math.min(left, POOL);
    let at = int(r, 0, POOL - n);
    let end = at + n;
    if (p.text[at - 1] === '\\') at += 1;
    if (p.text[end - 1] === '\\') end -= 1;
    s += p.text.slice(at, end);
    left -= n;
  }
  return s;
}

// ---------- output ----------
const OUT_SIZE = 8 << 20;
/** One big reused buffer per writer: a small file costs one write(2), a big one a write per 8 MiB. */
class Out {
  private readonly buf = Buffer.allocUnsafe(OUT_SIZE);
  private pos = 0;
  private fd = -1;
  bytes = 0;
  open(path: string): void {
    this.fd = openSync(path, 'w');
    this.bytes = 0;
  }
  /** Writes `s` + `\n`; `badByteAt` (offset into `s`) replaces one ASCII letter near it with 0xFF. */
  line(s: string, newline = true, badByteAt = -1): void {
    const n = Buffer.byteLength(s) + (newline ? 1 : 0);
    if (n > OUT_SIZE - this.pos) this.flush();
    if (n > OUT_SIZE) {
      writeSync(this.fd, newline ? `${s}\n` : s);
    } else {
      const start = this.pos;
      this.pos += this.buf.write(s, this.pos);
      if (newline) this.buf[this.pos++] = 10;
      for (let i = start + badByteAt; badByteAt >= 0 && i < this.pos - 1; i++) {
        const c = this.buf[i] ?? 0;
        if ((c | 32) >= 97 && (c | 32) <= 122 && this.buf[i - 1] !== 92) {
          this.buf[i] = 0xff;
          break;
        }
      }
    }
    this.bytes += n;
  }
  flush(): void {
    if (this.pos > 0) writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }
  close(mtimeMs: number): number {
    this.flush();
    futimesSync(this.fd, mtimeMs / 1000, mtimeMs / 1000);
    closeSync(this.fd);
    return this.bytes;
  }
}

// ---------- vocabulary ('|'-separated to keep the lists compact) ----------
const list = (s: string): string[] => s.split('|');
const CWDS = list(
  '/home/dev/src/threadscope|/home/dev/src/api-server|/home/dev/src/web-app|/home/dev/src/infra|' +
    '/home/dev/src/ml-pipeline|/home/dev/src/mobile|/home/dev/work/billing|/home/dev/work/search|' +
    '/Users/alice/code/dotfiles|/Users/alice/code/blog|C:\\Users\\dev\\projects\\desktop-app|/tmp/scratch',
);
const MODELS = list('gpt-5-codex|gpt-5.1-codex|gpt-5.1-codex-max|gpt-5.2-codex|gpt-5.4-mini|gpt-5.5');
const VERSIONS = list('0.46.0|0.58.0|0.72.0|0.86.0|0.98.0|0.104.0|0.118.0|0.128.0|0.139.0|0.146.0');
const BRANCHES = list('main|main|main|master|develop|feature/list-filters|fix/flaky-test|codex/refactor');
const NICKS = ['Copernicus', 'Hypatia', 'Noether', 'Turing', 'Lovelace', 'Euler'];
const VERBS = list('fix|add|refactor|explain|investigate|speed up|write tests for|document|review');
const OBJECTS = list(
  'the flaky test in the parser|a --verbose flag to the CLI|the thread list query|the login redirect|' +
    'cache invalidation in the store|the CSV export|error handling in the uploader|the migration script',
);
const JA = ['テストが失敗する原因を調べて', 'このリポジトリの構成を説明して', 'README を日本語に翻訳して'];
const prompt = (r: Rng): string =>
  r() < 0.05
    ? pick(r, JA)
    : `${pick(r, VERBS)} ${pick(r, OBJECTS)}${r() < 0.3 ? ` (ticket #${int(r, 100, 9999)})` : ''}`;

// ---------- lines ----------
const q = JSON.stringify;
const env = (ts: string, type: string, payload: string): string =>
  `{"timestamp":"${ts}","type":"${type}","payload":${payload}}`;
/** Same width as a real ISO timestamp, so a line's size is known before its time is. */
const TS_HOLE = '0000-00-00T00:00:00.000Z';

interface Th {
  r: Rng;
  p: Pools;
  out: Out;
  t: SyntheticThread;
  clock: number;
  tokens: number;
  version: string;
  effort: string;
  /** JSON-escaped AGENTS.md text repeated in every turn_context, as real builds do. */
  instr: string;
  unknown: boolean;
}
const iso = (c: Th, stepMs = Math.round(logNormal(c.r, 6.5, 1.2))): string => {
  c.clock += stepMs;
  return new Date(c.clock).toISOString();
};
const project = (cwd: string): string => cwd.split(/[\\/]/).pop() ?? 'proj';

function sessionMeta(c: Th, baseLen: number): string {
  const { t, r } = c;
  const spawn = t.source === 'subagent' && t.parentId;
  const nick = pick(r, NICKS);
  const role = r() < 0.5 ? 'worker' : 'explorer';
  const source = spawn
    ? {
        subagent: {
          thread_spawn: {
            parent_thread_id: t.parentId,
            depth: t.depth,
            agent_nickname: nick,
            agent_role: role,
          },
        },
      }
    : t.source === 'review'
      ? { subagent: 'review' }
      : t.source;
  const originator =
    { cli: 'codex_cli_rs', vscode: 'codex_vscode', exec: 'codex_exec' }[t.source as 'cli'] ?? 'codex_cli_rs';
  const git = t.branch
    ? `,"git":{"commit_hash":"${hex(r, 40)}","branch":${q(t.branch)},"repository_url":"git@github.com:synth/${project(t.cwd)}.git"}`
    : '';
  const agent = spawn ? `,"agent_nickname":"${nick}","agent_role":"${role}"` : '';
  return env(
    iso(c, int(r, 5, 3000)),
    'session_meta',
    `{"id":"${t.id}","timestamp":"${new Date(t.createdMs).toISOString()}","cwd":${q(t.cwd)},"originator":"${originator}",` +
      `"cli_version":"${c.version}","source":${q(source)}${agent},"model_provider":"openai",` +
      `"base_instructions":{"text":"You are Codex, a coding agent.\\n${text(c.p, r, baseLen)}"}${git}}`,
  );
}

function turnOpening(c: Th, msg: string, images = false): string[] {
  const { t, r, p } = c;
  const turnId = uuidV7(c.clock, r);
  const image =
    images && r() < 0.01 ? `data:image/png;base64,iVBORw0KGgo${b64(p, r, int(r, 30_000, 600_000))}` : '';
  const L = [
    env(iso(c), 'event_msg', `{"type":"task_started","turn_id":"${turnId}","model_context_window":258400}`),
    turnContext(c),
  ];
  if (c.unknown && r() < 0.5)
    L.push(
      env(
        iso(c),
        'world_state',
        `{"full":true,"state":{"cwd":${q(t.cwd)},"date":"${iso(c, 0).slice(0, 10)}"}}`,
      ),
    );
  L.push(
    env(
      iso(c),
      'response_item',
      `{"type":"message","role":"user","content":[{"type":"input_text","text":${q(msg)}}` +
        `${image ? `,{"type":"input_image","image_url":"${image}"}` : ''}]}`,
    ),
  );
  L.push(
    env(
      iso(c),
      'event_msg',
      `{"type":"user_message","message":${q(msg)},"images":[${image ? `"${image}"` : ''}],"local_images":[],"text_elements":[]}`,
    ),
  );
  return L;
}
const turnContext = (c: Th): string =>
  env(
    iso(c),
    'turn_context',
    `{"cwd":${q(c.t.cwd)},"approval_policy":"on-request","sandbox_policy":{"type":"workspace-write",` +
      `"writable_roots":[${q(c.t.cwd)}],"network_access":false},"model":"${c.t.model}","effort":"${c.effort}","summary":"auto"` +
      `${c.instr ? `,"user_instructions":"${c.instr}"` : ''}}`,
  );

function tokenCount(c: Th, ts = iso(c)): string {
  const last = int(c.r, 2000, 40_000);
  c.tokens += last;
  const u = (n: number): string =>
    `{"input_tokens":${n},"cached_input_tokens":${Math.floor(n * 0.7)},"output_tokens":${Math.floor(n * 0.03)},` +
    `"reasoning_output_tokens":${Math.floor(n * 0.01)},"total_tokens":${n + Math.floor(n * 0.03)}}`;
  const reset = Math.floor(c.clock / 1000) + 3600;
  return env(
    ts,
    'event_msg',
    `{"type":"token_count","info":{"total_token_usage":${u(c.tokens)},"last_token_usage":${u(last)},` +
      `"model_context_window":258400},"rate_limits":{"limit_id":"codex","primary":{"used_percent":${int(c.r, 0, 99)}.0,` +
      `"window_minutes":300,"resets_at":${reset}},"secondary":{"used_percent":${int(c.r, 0, 99)}.0,"window_minutes":10080,` +
      `"resets_at":${reset + 86400}},"credits":null,"plan_type":"plus"}}`,
  );
}

/** The rest of a turn (tool loop + answer) and the opening of the next one. */
function turnBody(c: Th): string[] {
  const { r, p, t } = c;
  const L: string[] = [];
  const steps = Math.min(80, Math.floor(logNormal(r, 1.6, 0.9)));
  for (let s = 0; s < steps; s++) {
    const summary = r() < 0.5 ? text(p, r, int(r, 40, 400)) : '';
    L.push(
      env(
        iso(c),
        'response_item',
        `{"type":"reasoning","summary":[${summary ? `{"type":"summary_text","text":"${summary}"}` : ''}],` +
          `"content":null,"encrypted_content":"gAAAAB${b64(p, r, Math.min(60_000, Math.round(logNormal(r, 7.6, 0.7))))}"}`,
      ),
    );
    if (summary) L.push(env(iso(c), 'event_msg', `{"type":"agent_reasoning","text":"${summary}"}`));
    const call = `call_${hex(r, 24)}`;
    if (r() < 0.15) {
      const file = `src/${pick(r, WORDS)}.ts`;
      L.push(
        env(
          iso(c),
          'response_item',
          `{"type":"custom_tool_call","status":"completed","call_id":"${call}","name":"apply_patch",` +
            `"input":"*** Begin Patch\\n*** Update File: ${file}\\n@@\\n-${text(p, r, int(r, 50, 2000))}\\n+${text(p, r, int(r, 50, 4000))}\\n*** End Patch"}`,
        ),
      );
      const out = q(
        JSON.stringify({
          output: `Success. Updated the following files:\nM ${file}\n`,
          metadata: { exit_code: 0, duration_seconds: 0.0 },
        }),
      );
      L.push(
        env(
          iso(c),
          'response_item',
          `{"type":"custom_tool_call_output","call_id":"${call}","output":${out}}`,
        ),
      );
    } else {
      const args = q(
        JSON.stringify({ cmd: `rg -n ${pick(r, WORDS)} src`, workdir: t.cwd, yield_time_ms: 10000 }),
      );
      L.push(
        env(
          iso(c),
          'response_item',
          `{"type":"function_call","name":"exec_command","arguments":${args},"call_id":"${call}"}`,
        ),
      );
      L.push(
        env(
          iso(c),
          'response_item',
          `{"type":"function_call_output","call_id":"${call}","output":"Chunk ID: ${hex(r, 6)}\\n` +
            `Wall time: 0.${int(r, 1000, 9999)} seconds\\nProcess exited with code ${r() < 0.9 ? 0 : 1}\\nOutput:\\n` +
            `${text(p, r, Math.min(3_000_000, Math.round(logNormal(r, 7.0, 1.5))))}"}`,
        ),
      );
    }
    L.push(tokenCount(c));
    if (r() < 0.25) L.push(turnContext(c));
    if (c.unknown && r() < 0.05)
      L.push(
        env(
          iso(c),
          'inter_agent_communication',
          `{"author":"root","recipient":"worker","content":"status?","trigger_turn":false}`,
        ),
      );
  }
  if (r() < 0.02) {
    L.push(env(iso(c), 'compacted', `{"message":"Summary: ${text(p, r, int(r, 800, 4000))}"}`));
    L.push(env(iso(c), 'event_msg', '{"type":"context_compacted"}'));
  }
  L.push(...turnClosing(c, iso(c)));
  c.clock += Math.round(logNormal(r, 11, 1.5)); // the user thinks between turns
  L.push(
    ...turnOpening(
      c,
      r() < 0.6 ? pick(r, ['continue', 'now run the tests', 'looks good, commit it']) : prompt(r),
      true,
    ),
  );
  return L;
}

function turnClosing(c: Th, ts: string): string[] {
  const msg = text(c.p, c.r, int(c.r, 80, 2500));
  return [
    env(
      ts,
      'response_item',
      `{"type":"message","role":"assistant","content":[{"type":"output_text","text":"${msg}"}],"phase":"final_answer"}`,
    ),
    env(ts, 'event_msg', `{"type":"agent_message","message":"${msg}","phase":"final_answer"}`),
    tokenCount(c, ts),
    env(
      ts,
      'event_msg',
      `{"type":"task_complete","turn_id":"${uuidV7(c.clock, c.r)}","last_agent_message":"Done."}`,
    ),
  ];
}

// ---------- legacy (§9.1): no envelope, no events, no per-line timestamps ----------
const bareMsg = (role: string, kind: string, body: string, r: Rng): string =>
  `{"type":"message","id":"msg_${hex(r, 24)}","role":"${role}","content":[{"type":"${kind}","text":${body}}]}`;
function legacyBody(c: Th): string[] {
  const { r, p } = c;
  const L: string[] = [];
  for (let s = Math.min(40, Math.floor(logNormal(r, 1.4, 0.8))); s > 0; s--) {
    const call = `call_${hex(r, 24)}`;
    const output = JSON.parse(
      `"${text(p, r, Math.min(2_000_000, Math.round(logNormal(r, 7.0, 1.4))))}"`,
    ) as string;
    L.push(
      `{"type":"reasoning","id":"rs_${hex(r, 24)}","summary":[],"encrypted_content":"gAAAAB${b64(p, r, int(r, 800, 6000))}"}`,
    );
    L.push(
      `{"type":"function_call","id":"fc_${hex(r, 24)}","name":"shell","arguments":${q(q({ command: ['bash', '-lc', `rg ${pick(r, WORDS)}`] }))},"call_id":"${call}"}`,
    );
    L.push(
      `{"type":"function_call_output","call_id":"${call}","output":${q(q({ output, metadata: { exit_code: 0, duration_seconds: 0.1 } }))}}`,
    );
  }
  L.push(
    bareMsg('assistant', 'output_text', `"${text(p, r, int(r, 80, 1500))}"`, r),
    '{"record_type":"state"}',
  );
  L.push(bareMsg('user', 'input_text', q(prompt(r)), r));
  return L;
}

// ---------- one file ----------
const MIN_FILLER = 256;

/** Exactly `n` bytes: an opaque reasoning item, the commonest big line in real rollouts. */
function filler(c: Th, n: number): string {
  const pre = c.t.legacy
    ? `{"type":"reasoning","id":"rs_${hex(c.r, 24)}","summary":[],"encrypted_content":"gAAAAB`
    : `{"timestamp":"${iso(c)}","type":"response_item","payload":{"type":"reasoning","summary":[],"content":null,"encrypted_content":"gAAAAB`;
  const post = c.t.legacy ? '"}' : '"}}';
  return pre + b64(c.p, c.r, n - pre.length - post.length) + post;
}

function writeThread(c: Th, target: number): void {
  const { t, r, out, p } = c;
  mkdirSync(dirname(t.path), { recursive: true });
  out.open(t.path);
  if (t.edge !== 'empty') {
    const baseLen = Math.min(int(r, 2000, 9000), Math.floor(target * 0.3));
    const ide =
      t.source === 'vscode'
        ? `# Context from my IDE setup:\n\n## Active file: src/index.ts\n\n## My request for Codex:\n`
        : '';
    const head = t.legacy
      ? [
          `{"id":"${t.id}","timestamp":"${new Date(t.createdMs).toISOString()}","instructions":null${t.branch ? `,"git":{"commit_hash":"${hex(r, 40)}","branch":${q(t.branch)}}` : ''}}`,
          '{"record_type":"state"}',
          bareMsg(
            'user',
            'input_text',
            q(`<environment_context>\n  <cwd>${t.cwd}</cwd>\n</environment_context>`),
            r,
          ),
        ]
      : [
          sessionMeta(c, baseLen),
          env(
            iso(c),
            'response_item',
            bareMsg(
              'developer',
              'input_text',
              '"<permissions instructions>\\nsandbox: workspace-write; approvals: on-request\\n</permissions instructions>"',
              r,
            ),
          ),
          env(
            iso(c),
            'response_item',
            bareMsg(
              'user',
              'input_text',
              q(
                `<environment_context>\n  <cwd>${t.cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>`,
              ),
              r,
            ),
          ),
        ];
    if (t.title)
      head.push(
        ...(t.legacy ? [bareMsg('user', 'input_text', q(t.title), r)] : turnOpening(c, ide + t.title)),
      );
    for (const l of head) out.line(l);
    // The closing turn is sized up front (timestamps are fixed-width holes) so the file lands on `target`.
    const tail = !t.title
      ? []
      : t.legacy
        ? [bareMsg('assistant', 'output_text', `"${text(p, r, int(r, 80, 1500))}"`, r)]
        : turnClosing(c, TS_HOLE);
    const cut = t.edge === 'truncated' && tail.length > 0;
    if (cut) tail.push((tail.pop() ?? '').slice(0, 40));
    let left = target - out.bytes - tail.reduce((n, l) => n + Buffer.byteLength(l) + 1, cut ? -1 : 0);
    let bad = t.edge === 'invalid-utf8';
    for (let more = !!t.title; more && left >= MIN_FILLER;) {
      for (const l of t.legacy ? legacyBody(c) : turnBody(c)) {
        const n = Buffer.byteLength(l) + 1;
        if (n + MIN_FILLER > left) {
          more = false;
          break;
        }
        const at = bad && n < OUT_SIZE ? l.indexOf('Output:\\n') : -1;
        if (at >= 0) bad = false;
        out.line(l, true, at >= 0 ? at + 12 : -1);
        left -= n;
      }
    }
    if (left >= MIN_FILLER) out.line(filler(c, left - 1));
    tail.forEach((l, i) =>
      out.line(
        l.replace(TS_HOLE, () => iso(c)),
        !(cut && i === tail.length - 1),
      ),
    );
  }
  t.updatedMs = c.clock;
  t.bytes = out.close(c.clock);
}

function threadCtx(t: SyntheticThread, seed: number, i: number, out: Out, frac: number, target: number): Th {
  const r = createRng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  const v = Math.max(0, Math.min(VERSIONS.length - 1, Math.floor(frac * VERSIONS.length) + int(r, -1, 0)));
  return {
    r,
    p: pools(seed),
    out,
    t,
    clock: t.createdMs,
    tokens: 0,
    version: VERSIONS[v] ?? '0.146.0',
    effort: pick(r, ['low', 'medium', 'medium', 'high', 'xhigh']),
    instr: r() < 0.6 ? text(pools(seed), r, Math.min(int(r, 200, 6000), Math.floor(target * 0.05))) : '',
    unknown: r() < 0.1,
  };
}

// ---------- whole homes ----------
/** Log-normal sizes with a floor, scaled so they sum to `target` exactly; `empty[i]` files get 0. */
function planSizes(r: Rng, empty: boolean[], target: number, sigma: number, floor: number): number[] {
  const raw = empty.map((e) => (e ? 0 : Math.exp(sigma * normal(r))));
  const sized = (scale: number): number[] => raw.map((x) => (x === 0 ? 0 : Math.max(floor, x * scale)));
  let scale = target / raw.reduce((a, b) => a + b, 0);
  // Clamping small files up to the floor adds bytes; a few fixed-point rounds take them back from the rest.
  for (let k = 0; k < 20; k++) scale *= target / sized(scale).reduce((a, b) => a + b, 0);
  const sizes = sized(scale).map(Math.round);
  const big = sizes.indexOf(Math.max(...sizes));
  sizes[big] = (sizes[big] ?? 0) + target - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

export function writeSyntheticCodexHome(dir: string, o: SyntheticHomeOptions): SyntheticHome {
  const r = createRng(o.seed);
  const n = o.threads;
  const endMs = o.endMs ?? Date.UTC(2026, 6, 1);
  const spanMs = (o.spanDays ?? 300) * 86_400_000;
  const created = Array.from({ length: n }, () => endMs - Math.floor(r() * spanMs)).sort((a, b) => a - b);
  const edges = Array.from({ length: n }, (): SyntheticEdge => {
    const e = o.edgeCases === false ? 1 : r();
    return e < 0.002 ? 'empty' : e < 0.007 ? 'truncated' : e < 0.012 ? 'invalid-utf8' : null;
  });
  const sizes = planSizes(
    r,
    edges.map((e) => e === 'empty'),
    o.targetBytes,
    o.sizeSigma ?? 1.3,
    o.minFileBytes ?? 12_288,
  );
  const legacyCount = Math.floor(n * (o.legacyShare ?? 0.02));
  const out = new Out();
  const threads: SyntheticThread[] = [];
  for (let i = 0; i < n; i++) {
    const createdMs = created[i] ?? endMs;
    const legacy = i < legacyCount;
    const edge = edges[i] ?? null;
    const parent =
      !legacy && i > 0 && r() < (o.subagentShare ?? 0.03) ? threads[int(r, 0, i - 1)] : undefined;
    const s = r();
    const source: SyntheticSource = parent
      ? 'subagent'
      : s < 0.5
        ? 'cli'
        : s < 0.8
          ? 'vscode'
          : s < 0.995
            ? 'exec'
            : 'review';
    // Zipf-like: a few projects get most threads.
    const cwd =
      parent?.cwd ?? (CWDS[Math.min(CWDS.length - 1, Math.floor(CWDS.length * r() ** 2.5))] as string);
    const era = Math.floor((i / n) * (MODELS.length - 1));
    const id = legacy ? uuidV4(r) : uuidV7(createdMs, r);
    const archived = r() < (o.archivedShare ?? 0.1);
    const name = rolloutFileName(createdMs, id);
    const day = new Date(createdMs).toISOString();
    const t: SyntheticThread = {
      id,
      path: archived
        ? join(dir, 'archived_sessions', name)
        : join(dir, 'sessions', day.slice(0, 4), day.slice(5, 7), day.slice(8, 10), name),
      bytes: 0,
      createdMs,
      updatedMs: createdMs,
      archived,
      legacy,
      source,
      parentId: parent?.id ?? null,
      depth: parent ? parent.depth + 1 : 0,
      cwd,
      model: MODELS[Math.min(MODELS.length - 1, era + int(r, 0, 1))] as string,
      branch: r() < 0.15 ? null : pick(r, BRANCHES),
      title: edge === 'empty' || ((sizes[i] ?? 0) < 40_000 && r() < 0.2) ? '' : prompt(r),
      edge,
    };
    writeThread(threadCtx(t, o.seed, i, out, i / n, sizes[i] ?? 0), sizes[i] ?? 0);
    threads.push(t);
  }
  return { codexHome: dir, threads, totalBytes: threads.reduce((a, t) => a + t.bytes, 0) };
}

/** One long thread of exactly `bytes` (a 100 MB rollout for transcript paging); the id comes from the file name when it has one. */
export function writeLargeRollout(path: string, bytes: number, seed = 1): SyntheticThread {
  const r = createRng(seed);
  const createdMs = Date.UTC(2026, 5, 1, 9);
  const named = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/.exec(
    basename(path),
  )?.[1];
  const t: SyntheticThread = {
    id: named ?? uuidV7(createdMs, r),
    path,
    bytes: 0,
    createdMs,
    updatedMs: createdMs,
    archived: false,
    legacy: false,
    source: 'cli',
    parentId: null,
    depth: 0,
    cwd: CWDS[0] as string,
    model: 'gpt-5.5',
    branch: 'main',
    title: prompt(r),
    edge: null,
  };
  writeThread(threadCtx(t, seed, 0, new Out(), 1, bytes), bytes);
  return t;
}

// ---------- edge-case lines for reader tests ----------
const TS = '2026-03-01T10:00:00.000Z';
export const edgeLines = {
  /** A minimal valid thread head: session_meta, turn_context and a user_message. */
  head(id: string, cwd = '/home/dev/src/threadscope', ts = TS): string[] {
    return [
      env(
        ts,
        'session_meta',
        `{"id":"${id}","timestamp":"${ts}","cwd":${q(cwd)},"originator":"codex_cli_rs","cli_version":"0.146.0","source":"cli","model_provider":"openai"}`,
      ),
      env(
        ts,
        'turn_context',
        `{"cwd":${q(cwd)},"approval_policy":"on-request","sandbox_policy":{"type":"read-only"},"model":"gpt-5.5","summary":"auto"}`,
      ),
      env(ts, 'event_msg', '{"type":"user_message","message":"fix the flaky test","images":[]}'),
    ];
  },
  /** The first half of a valid line and no newline: a line still being written. */
  truncated(ts = TS): Buffer {
    const l = env(ts, 'event_msg', '{"type":"agent_message","message":"half written"}');
    return Buffer.from(l.slice(0, Math.floor(l.length / 2)));
  },
  /** A terminated agent_message whose text holds bytes that are not UTF-8 (0xFF, 0xC3 0x28). */
  invalidUtf8(ts = TS): Buffer {
    return Buffer.concat([
      Buffer.from(env(ts, 'event_msg', '{"type":"agent_message","message":"bad ').slice(0, -1)),
      Buffer.from([0xff, 0x20, 0xc3, 0x28]),
      Buffer.from(' bytes"}}\n'),
    ]);
  },
  /** One function_call_output line of exactly `bytes` bytes (without its newline). */
  huge(bytes: number, ts = TS): string {
    const pre = env(
      ts,
      'response_item',
      '{"type":"function_call_output","call_id":"call_huge","output":"',
    ).slice(0, -1);
    return pre + 'x'.repeat(Math.max(0, bytes - pre.length - 3)) + '"}}';
  },
  /** Unknown record kinds, unknown payload kinds, a blank line and a line that is not JSON. */
  unknownTypes(ts = TS): string[] {
    return [
      env(ts, 'future_record_kind', '{"x":1}'),
      env(ts, 'event_msg', '{"type":"future_event_kind","value":[1,2,3]}'),
      env(ts, 'response_item', '{"type":"future_item_kind","id":"zz_1"}'),
      '',
      'not json at all {',
    ];
  },
};

/** Joins lines with `\n` (Buffers verbatim, so a truncated piece can end the file) and writes the file. */
export function writeLines(path: string, parts: readonly (string | Buffer)[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    for (const part of parts) writeSync(fd, typeof part === 'string' ? Buffer.from(`${part}\n`) : part);
  } finally {
    closeSync(fd);
  }
}
