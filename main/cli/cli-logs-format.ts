import type { LogRecord, LogSource } from '../../preload/contract/logs.ts';
import type { LogsOutput } from './cli-logs-args.ts';

export interface LogLineStyle {
  output: LogsOutput;
  /** ANSI colours (a terminal, NO_COLOR unset). */
  color: boolean;
  /** Show control characters as `\xNN` so a message cannot drive the terminal (a terminal). */
  escape: boolean;
}

/** The `logs --json` record: LogRecord plus the source it came from. */
export type LogJson = { source: LogSource } & LogRecord;

/** Colours as Codex's logs client: level bold and coloured, metadata dimmed, the message bold. */
const LEVEL_SGR: Record<string, string> = {
  ERROR: '1;31',
  WARN: '1;33',
  INFO: '1;32',
  DEBUG: '1;34',
  TRACE: '1;35',
};
const SGR = { dim: '2', bold: '1', threadId: '2;34', added: '1;32', removed: '1;31' } as const;

const paint = (on: boolean, sgr: string, s: string): string => (on && s ? `\x1b[${sgr}m${s}\x1b[0m` : s);

// C0 controls except tab and newline, DEL and C1 controls (CSI 0x9b included).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const escapeControls = (s: string): string =>
  s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Full: RFC 3339 UTC with milliseconds; compact: `HH:MM:SS` UTC (seed §4.7). */
export function logTime(ts: number, tsNanos: number, compact: boolean): string {
  const nanos = Number.isInteger(tsNanos) && tsNanos >= 0 && tsNanos < 1e9 ? tsNanos : 0;
  const d = new Date(ts * 1000 + Math.floor(nanos / 1e6));
  if (!Number.isFinite(d.getTime())) return `${ts}.${String(nanos).padStart(9, '0')}Z`;
  const iso = d.toISOString();
  return compact ? iso.slice(11, 19) : iso;
}

function message(text: string, color: boolean): string {
  if (!color) return text;
  // Seed: a logged apply_patch call is shown as a diff.
  if (text.startsWith('ToolCall: apply_patch')) {
    return text
      .split('\n')
      .map((l) => paint(true, l.startsWith('+') ? SGR.added : l.startsWith('-') ? SGR.removed : SGR.bold, l))
      .join('\n');
  }
  return paint(true, SGR.bold, text);
}

/**
 * One row as a line (no trailing newline): full `<time> <LEVEL> [<thread or ->] <target> - <message>`,
 * compact `<HH:MM:SS> <LEVEL> <message>`, or one JSON object.
 */
export function formatLogLine(r: LogRecord, source: LogSource, style: LogLineStyle): string {
  if (style.output === 'json') {
    const json: LogJson = { source, ...r };
    return JSON.stringify(json);
  }
  const clean = style.escape ? escapeControls : (s: string): string => s;
  const { color } = style;
  const compact = style.output === 'compact';
  const time = paint(color, SGR.dim, logTime(r.ts, r.tsNanos, compact));
  const level = clean(r.level.padEnd(5));
  const levelText = paint(color, LEVEL_SGR[r.level.toUpperCase()] ?? SGR.bold, level);
  const text = message(clean(r.message ?? ''), color);
  if (compact) return `${time} ${levelText} ${text}`;
  const thread = paint(color, SGR.threadId, clean(r.threadId ?? '-'));
  const target = paint(color, SGR.dim, clean(r.target));
  return `${time} ${levelText} [${thread}] ${target} - ${text}`;
}
