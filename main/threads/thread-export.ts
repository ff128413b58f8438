import { homedir } from 'node:os';
import type { Thread, ThreadExport } from '../../preload/contract/index.ts';
import { readRolloutLines } from '../rollouts/read-rollout.ts';

/** The whole Markdown stays below this (it crosses IPC / HTTP in one piece). */
export const MAX_EXPORT_CHARS = 4 * 1024 * 1024;
/** Tool outputs keep their head: enough to see what happened, not the whole build log. */
const OUTPUT_MAX_LINES = 40;
const OUTPUT_MAX_CHARS = 4000;
const CALL_MAX_CHARS = 8000;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** `/Users/<name>`, `/home/<name>` or `C:\Users\<name>` at the start of a cwd: the thread's own home. */
export function homeFromCwd(cwd: string): string | null {
  return /^(\/Users\/[^/]+|\/home\/[^/]+|[A-Za-z]:\\Users\\[^\\]+)(?=[/\\]|$)/.exec(cwd)?.[1] ?? null;
}

/** Replaces each home directory (as a whole path prefix) with `~`. */
export function homeShortener(homes: readonly string[]): (text: string) => string {
  const trimmed = homes.filter((h) => h.length > 1).map((h) => h.replace(/[\\/]+$/, ''));
  // Windows homes also appear JSON-escaped inside raw tool arguments (`C:\\Users\\me`).
  const variants = trimmed.flatMap((h) => (h.includes('\\') ? [h, h.replace(/\\/g, '\\\\')] : [h]));
  const list = [...new Set(variants)].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (t) => t;
  const escaped = list.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const re = new RegExp(`(?<![\\w./-])(?:${escaped})(?![\\w.-])`, 'g');
  return (text) => text.replace(re, '~');
}

function fence(text: string, lang = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${text.replace(/\n$/, '')}\n${f}`;
}

function clip(text: string, maxLines: number, maxChars: number): string {
  const lines = text.split('\n');
  let out = lines.slice(0, maxLines).join('\n');
  if (out.length > maxChars) out = out.slice(0, maxChars);
  const hidden = text.length - out.length;
  if (hidden <= 0) return out;
  const moreLines = lines.length - out.split('\n').length;
  return `${out}\n… (${moreLines > 0 ? `${moreLines} more lines, ` : ''}${hidden.toLocaleString('en-US')} more characters)`;
}

const cell = (v: string): string => v.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (v: string): string => `\`${v.replace(/`/g, "'")}\``;
const utc = (epochSeconds: number): string =>
  `${new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
const lineTime = (ts: unknown): string => {
  const s = str(ts);
  return s && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(s) ? ` · ${s.slice(0, 10)} ${s.slice(11, 19)} UTC` : '';
};

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const p = obj(part);
      if (typeof p?.text === 'string') return p.text;
      return p && /image/.test(String(p.type)) ? '[Image]' : '';
    })
    .filter((t) => t !== '')
    .join('\n');
}

function metadataTable(t: Thread): string {
  const rows: [string, string | null][] = [
    ['Thread', code(t.id)],
    ['Created', utc(t.createdAt)],
    ['Updated', utc(t.updatedAt)],
    ['Source', t.source],
    ['Project', t.cwd ? code(t.cwd) : null],
    ['Git branch', t.gitBranch ? code(t.gitBranch) : null],
    ['Git commit', t.gitSha ? code(t.gitSha) : null],
    ['Git origin', t.gitOriginUrl ? code(t.gitOriginUrl) : null],
    [
      'Model',
      [t.modelProvider, t.model].filter(Boolean).join(' · ') +
        (t.reasoningEffort ? ` (${t.reasoningEffort})` : ''),
    ],
    ['CLI version', t.cliVersion || null],
    ['Tokens used', t.tokensUsed.toLocaleString('en-US')],
    ['Archived', t.archived ? (t.archivedAt ? `yes, ${utc(t.archivedAt)}` : 'yes') : null],
    ['Rollout file', code(t.rolloutPath)],
  ];
  const body = rows.filter(([, v]) => v).map(([k, v]) => `| ${k} | ${cell(v as string)} |`);
  return ['| Field | Value |', '| --- | --- |', ...body].join('\n');
}

/** Working directories seen in the transcript (turn contexts, injected environment context). */
type CwdSink = (cwd: string) => void;
function toolCall(name: string, args: string, time: string, onCwd: CwdSink): string {
  let lang = 'json';
  let text = args;
  const parsed = (() => {
    try {
      return obj(JSON.parse(args));
    } catch {
      return null;
    }
  })();
  const cmd = parsed && (parsed.cmd ?? parsed.command);
  if (typeof cmd === 'string' || Array.isArray(cmd)) {
    lang = 'sh';
    text = `$ ${Array.isArray(cmd) ? cmd.join(' ') : cmd}`;
    const dir = str(parsed?.workdir);
    if (dir) {
      onCwd(dir);
      text = `# in ${dir}\n${text}`;
    }
  } else if (parsed) {
    text = JSON.stringify(parsed, null, 2);
  } else {
    lang = name === 'apply_patch' ? 'diff' : 'text';
  }
  return `**Tool call · ${code(name)}**${time}\n\n${fence(clip(text, 200, CALL_MAX_CHARS), lang)}`;
}

function toolOutput(output: unknown): string {
  let text =
    typeof output === 'string'
      ? output
      : Array.isArray(output)
        ? contentText(output)
        : JSON.stringify(output);
  // Legacy outputs wrap the text in JSON: {"output": "...", "metadata": {...}}.
  try {
    const inner = obj(JSON.parse(text));
    if (inner && typeof inner.output === 'string') text = inner.output;
  } catch {
    // Plain text output.
  }
  if (text.trim() === '') return '_Output: (empty)_';
  return `**Output**\n\n${fence(clip(text, OUTPUT_MAX_LINES, OUTPUT_MAX_CHARS), 'text')}`;
}

const ENV_CWD = /<cwd>([^<\n]+)<\/cwd>/;

/** One response item (enveloped payload, or a bare legacy line) → Markdown, or null to leave it out. */
function responseItem(p: Json, legacy: boolean, time: string, onCwd: CwdSink): string | null {
  switch (p.type) {
    case 'message': {
      const text = contentText(p.content).trim();
      if (!text) return null;
      const envCwd = text.startsWith('<') ? ENV_CWD.exec(text)?.[1] : undefined;
      if (envCwd) onCwd(envCwd);
      if (p.role === 'assistant') return `### Assistant${time}\n\n${text}`;
      // In envelope files the human's words are the user_message events; these carry injected context.
      if (p.role === 'user' && legacy && !text.startsWith('<')) return `### User${time}\n\n${text}`;
      return null;
    }
    case 'reasoning': {
      const parts = Array.isArray(p.summary)
        ? p.summary.map((s) => str(obj(s)?.text) ?? '').filter(Boolean)
        : [];
      if (parts.length === 0) return null;
      return parts.map((t) => `> _Reasoning:_ ${t.trim().split('\n').join('\n> ')}`).join('\n>\n');
    }
    case 'function_call':
      return toolCall(
        str(p.name) ?? 'tool',
        str(p.arguments) ?? JSON.stringify(p.arguments ?? null),
        time,
        onCwd,
      );
    case 'custom_tool_call':
      return toolCall(str(p.name) ?? 'tool', str(p.input) ?? JSON.stringify(p.input ?? null), time, onCwd);
    case 'local_shell_call':
      return toolCall('local_shell', JSON.stringify(obj(p.action) ?? {}), time, onCwd);
    case 'web_search_call': {
      const a = obj(p.action);
      return `**Web search**${time}: ${str(a?.query) ?? str(a?.url) ?? JSON.stringify(a)}`;
    }
    case 'function_call_output':
    case 'custom_tool_call_output':
      return toolOutput(p.output);
    case 'compaction':
    case 'compaction_summary':
    case 'context_compaction':
      return '_Earlier context was compacted here._';
    default:
      return null;
  }
}

function lineToMarkdown(text: string, onCwd: CwdSink): string | null {
  let line: Json | null;
  try {
    line = obj(JSON.parse(text));
  } catch {
    return null;
  }
  if (!line) return null;
  const payload = obj(line.payload);
  const time = lineTime(line.timestamp);
  if (typeof line.type === 'string' && payload) {
    if (line.type === 'response_item') return responseItem(payload, false, time, onCwd);
    if (line.type === 'turn_context' || line.type === 'session_meta') {
      const cwd = str(payload.cwd);
      if (cwd) onCwd(cwd);
      return null;
    }
    if (line.type === 'compacted') return '_Earlier context was compacted here._';
    if (line.type === 'event_msg' && payload.type === 'user_message') {
      const message = (str(payload.message) ?? '').trim();
      const images =
        (Array.isArray(payload.images) ? payload.images.length : 0) +
        (Array.isArray(payload.local_images) ? payload.local_images.length : 0);
      const body = [message, images > 0 ? `_[${images} image${images === 1 ? '' : 's'}]_` : ''].filter(
        Boolean,
      );
      return body.length > 0 ? `### User${time}\n\n${body.join('\n\n')}` : null;
    }
    return null;
  }
  // Legacy (pre-0.32) lines are bare response items; the first line is the session header.
  if (typeof line.type === 'string') return responseItem(line, true, '', onCwd);
  return null;
}

export function exportFileName(thread: Thread, shorten: (text: string) => string = (t) => t): string {
  const slug = shorten(thread.title || thread.firstUserMessage || 'thread')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'thread'}-${thread.id.slice(0, 8)}.md`;
}

export interface ExportOptions {
  /**
   * Home directories to shorten to `~` (default: this user's); the home in the thread's working
   * directories (`/Users/<name>`, `/home/<name>`) is always added.
   */
  homes?: string[];
  maxChars?: number;
}

/** Markdown of a thread: title, metadata table, then the transcript, streamed from the rollout. */
export async function exportThreadMarkdown(thread: Thread, opts: ExportOptions = {}): Promise<ThreadExport> {
  const maxChars = opts.maxChars ?? MAX_EXPORT_CHARS;
  const homes = new Set(opts.homes ?? [homedir()]);
  const onCwd = (cwd: string): void => {
    const home = homeFromCwd(cwd);
    if (home) homes.add(home);
  };
  onCwd(thread.cwd);
  const title = (thread.title || thread.firstUserMessage || 'Untitled thread').split('\n')[0]?.trim() ?? '';
  const parts: string[] = [`# ${title}`, metadataTable(thread), '## Transcript'];
  let size = parts.reduce((n, p) => n + p.length + 2, 0);
  let truncated = false;
  let items = 0;
  for await (const { text } of readRolloutLines(thread.rolloutPath)) {
    if (text.trim() === '') continue;
    const md = lineToMarkdown(text, onCwd);
    if (md === null) continue;
    if (size + md.length + 2 > maxChars) {
      truncated = true;
      break;
    }
    parts.push(md);
    size += md.length + 2;
    items++;
  }
  if (items === 0) parts.push('_No messages in this rollout._');
  if (truncated) {
    const mb = (maxChars / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
    parts.push(
      `---\n\n_Export truncated at ${mb} MB: the rest of the transcript was left out. The full rollout is ${code(thread.rolloutPath)}._`,
    );
  }
  const shorten = homeShortener([...homes]);
  return {
    fileName: exportFileName(thread, shorten),
    markdown: shorten(`${parts.join('\n\n')}\n`),
    truncated,
  };
}
