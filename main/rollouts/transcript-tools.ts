import type { ToolCallDetail, ToolResult } from '../../preload/contract/transcript.ts';
import { asObject } from './thread-fold.ts';
import type { JsonObject } from './thread-fold.ts';
import { capHead, capHeadTail, contentParts, num, str } from './transcript-text.ts';

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const SHELL_WRAPPERS = new Set([
  'bash',
  'sh',
  'zsh',
  '/bin/bash',
  '/bin/sh',
  '/bin/zsh',
  'powershell.exe',
  'pwsh',
]);

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `["bash","-lc","ls -la"]` reads as `ls -la`; other argv are joined with shell quoting. */
export function commandText(argv: string[]): string {
  if (argv.length === 3 && SHELL_WRAPPERS.has(argv[0]!) && /^-l?c$|^-Command$/i.test(argv[1]!))
    return argv[2]!;
  return argv.map(quoteArg).join(' ');
}

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

function shellDetail(args: JsonObject): ToolCallDetail | null {
  const argv = stringArray(args.command);
  const cmd = str(args.cmd) ?? str(args.command);
  if (!argv && cmd === null) return null;
  return {
    tool: 'shell',
    command: argv ? commandText(argv) : cmd!,
    argv,
    workdir: str(args.workdir) ?? str(args.working_directory) ?? str(args.cwd),
    timeoutMs: num(args.timeout_ms) ?? num(args.timeout),
  };
}

/** `key: value` lines (multi-line strings indented below their key): arguments as a reader wants them. */
export function argumentsText(args: JsonObject): string {
  return Object.entries(args)
    .map(([key, value]) => {
      if (typeof value !== 'string') return `${key}: ${JSON.stringify(value)}`;
      return value.includes('\n') ? `${key}:\n${value.replace(/^/gm, '  ')}` : `${key}: ${value}`;
    })
    .join('\n');
}

function otherDetail(raw: string | null): ToolCallDetail {
  if (raw === null || raw === '' || raw === '{}') return { tool: 'other', arguments: null };
  const parsed = asObject(parseJson(raw));
  return { tool: 'other', arguments: capHead(parsed ? argumentsText(parsed) : raw) };
}

/** What a function / custom tool call does, from its name and arguments (a JSON string or raw input). */
export function callDetail(name: string, raw: string | null, freeform: boolean): ToolCallDetail {
  if (name === 'apply_patch') {
    const args = freeform ? null : asObject(parseJson(raw));
    const patch = str(args?.input) ?? str(args?.patch) ?? raw ?? '';
    return { tool: 'patch', patch: capHead(patch) };
  }
  if (freeform) return { tool: 'script', code: capHead(raw ?? '') };
  const mcp = /^mcp__(.+?)__(.+)$/.exec(name);
  if (mcp) return { tool: 'mcp', server: mcp[1]!, name: mcp[2]!, arguments: raw };
  const args = asObject(parseJson(raw));
  if (
    args &&
    (name === 'shell' || name === 'shell_command' || name === 'exec_command' || name === 'local_shell')
  ) {
    const shell = shellDetail(args);
    if (shell) return shell;
  }
  if (args && name === 'update_plan' && Array.isArray(args.plan)) {
    const steps = args.plan.flatMap((s) => {
      const o = asObject(s);
      return o && typeof o.step === 'string' ? [{ step: o.step, status: str(o.status) ?? 'pending' }] : [];
    });
    return { tool: 'plan', explanation: str(args.explanation), steps };
  }
  return otherDetail(raw);
}

export function webSearchDetail(action: JsonObject | null, query: string | null = null): ToolCallDetail {
  const queries = stringArray(action?.queries);
  return {
    tool: 'web_search',
    action: str(action?.type),
    query: str(action?.query) ?? (queries ? queries.join('\n') : null) ?? query,
    url: str(action?.url),
  };
}

export function emptyResult(position: number): ToolResult {
  return {
    output: null,
    exitCode: null,
    durationMs: null,
    success: null,
    images: [],
    changes: [],
    positions: [position],
  };
}

function withExit(result: ToolResult, exit: number | null): ToolResult {
  // A corrupt rollout may hold any number here; only an integer is an exit code.
  const exitCode = exit !== null && Number.isSafeInteger(exit) ? exit : null;
  return { ...result, exitCode, success: exitCode === null ? result.success : exitCode === 0 };
}

const HEADER_LINE =
  /^(?:Command: .*|Chunk ID: .*|Wall time:? ([\d.]+) seconds|Exit code: (-?\d+)|Process exited with code (-?\d+)|Process running with session ID .*|Original token count: .*|Total output lines: .*|Script (completed|failed|error|running))$/;

/**
 * Reads Codex's output conventions: `Exit code: N\nWall time: X seconds\nOutput:\n…` (0.5x–0.9x),
 * unified exec's `Chunk ID / Wall time / Process exited with code N / Output:` (2026), code mode's
 * `Script completed\nWall time 1.9 seconds\nOutput:`, and the JSON `{"output","metadata":{exit_code,duration_seconds}}`
 * of 0.3x–0.4x. Anything else is plain text.
 */
export function parseOutputText(text: string, position: number): ToolResult {
  const result = emptyResult(position);
  if (text.startsWith('{"output"')) {
    const o = asObject(parseJson(text));
    const meta = asObject(o?.metadata);
    if (o && typeof o.output === 'string') {
      const secs = num(meta?.duration_seconds);
      return withExit(
        { ...result, output: capHeadTail(o.output), durationMs: secondsToMs(secs) },
        num(meta?.exit_code),
      );
    }
  }
  let rest = text;
  let exit: number | null = null;
  let seconds: number | null = null;
  let script: string | null = null;
  let sawHeader = false;
  for (let guard = 0; guard < 8; guard++) {
    const nl = rest.indexOf('\n');
    const first = nl === -1 ? rest : rest.slice(0, nl);
    if (first === 'Output:') {
      rest = nl === -1 ? '' : rest.slice(nl + 1);
      sawHeader = true;
      break;
    }
    const m = HEADER_LINE.exec(first);
    if (!m) break;
    sawHeader = true;
    if (m[1] !== undefined) seconds = Number(m[1]);
    const code = m[2] ?? m[3];
    if (code !== undefined) exit = Number(code);
    if (m[4] !== undefined) script = m[4];
    rest = nl === -1 ? '' : rest.slice(nl + 1);
  }
  if (!sawHeader) {
    const rejected = /^(exec command rejected|patch rejected|aborted by user)/i.test(text);
    return { ...result, output: capHeadTail(text), success: rejected ? false : null };
  }
  const out = { ...result, output: capHeadTail(rest), durationMs: secondsToMs(seconds) };
  if (script !== null)
    return { ...out, success: script === 'completed' ? true : script === 'running' ? null : false };
  return withExit(out, exit);
}

/** A `*_output` item's `output`: a string, or content parts (text + images). */
export function outputResult(output: unknown, position: number): ToolResult {
  if (typeof output === 'string') return parseOutputText(output, position);
  if (Array.isArray(output)) {
    const { text, images } = contentParts(output);
    return { ...parseOutputText(text, position), images };
  }
  const o = asObject(output);
  // MCP-style {content, is_error} / {Ok}/{Err} results.
  if (o) {
    const inner = asObject(o.Ok) ?? o;
    if (typeof o.Err === 'string')
      return { ...emptyResult(position), output: capHeadTail(o.Err), success: false };
    const { text, images } = contentParts(inner.content);
    return {
      ...emptyResult(position),
      output: capHeadTail(text || JSON.stringify(output, null, 2)),
      images,
      success: inner.is_error === true ? false : null,
    };
  }
  return emptyResult(position);
}

/** Null for what is no duration (NaN from a garbled header, or a value that overflows to Infinity). */
function secondsToMs(seconds: number | null): number | null {
  const ms = seconds === null ? NaN : seconds * 1000;
  return Number.isFinite(ms) ? ms : null;
}

function durationMs(value: unknown): number | null {
  const o = asObject(value);
  if (o) {
    const secs = num(o.secs) ?? 0;
    const nanos = num(o.nanos) ?? 0;
    const ms = secs * 1000 + nanos / 1e6;
    return Number.isFinite(ms) ? ms : null;
  }
  return num(value);
}

const CHANGE_KINDS = new Set(['add', 'update', 'delete']);
/** Per-file diff cap of `patch_apply_end` changes. */
const MAX_DIFF = 16 * 1024;

/** The result fields of an `exec_command_end` / `patch_apply_end` / `mcp_tool_call_end` event. */
export function eventResult(p: JsonObject, position: number): ToolResult {
  const result = emptyResult(position);
  switch (p.type) {
    case 'exec_command_end': {
      const text = str(p.aggregated_output) ?? str(p.formatted_output) ?? str(p.stdout) ?? '';
      const declined = p.status === 'declined';
      return {
        ...withExit(result, num(p.exit_code)),
        output: text ? capHeadTail(text) : null,
        durationMs: durationMs(p.duration),
        ...(declined ? { success: false } : {}),
      };
    }
    case 'patch_apply_end': {
      const changes = Object.entries(asObject(p.changes) ?? {}).map(([path, c]) => {
        const change = asObject(c);
        const type = str(change?.type) ?? 'update';
        const moved = str(change?.move_path);
        const content = str(change?.content);
        const diff = str(change?.unified_diff) ?? (content === null ? null : content.replace(/^/gm, '+'));
        return {
          path,
          change: moved ? 'move' : CHANGE_KINDS.has(type) ? type : 'update',
          diff: diff === null ? null : capHead(diff, MAX_DIFF).text,
        } as const;
      });
      const text = [str(p.stdout), str(p.stderr)].filter(Boolean).join('\n');
      return {
        ...result,
        output: text ? capHeadTail(text) : null,
        success: typeof p.success === 'boolean' ? p.success : null,
        changes: changes as ToolResult['changes'],
      };
    }
    case 'mcp_tool_call_end':
      return { ...outputResult(p.result, position), durationMs: durationMs(p.duration) };
    default:
      return result;
  }
}

/** Folds a later result line into what a call already has: the first known value of each field wins. */
export function mergeResults(a: ToolResult | null, b: ToolResult): ToolResult {
  if (!a) return b;
  return {
    output: a.output ?? b.output,
    exitCode: a.exitCode ?? b.exitCode,
    durationMs: a.durationMs ?? b.durationMs,
    success: a.success === false || b.success === false ? false : (a.success ?? b.success),
    images: a.images.length ? a.images : b.images,
    changes: a.changes.length ? a.changes : b.changes,
    positions: [...a.positions, ...b.positions],
  };
}
