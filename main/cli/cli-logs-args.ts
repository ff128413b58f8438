import { parseArgs } from 'node:util';
import { LOG_LEVELS, LogSource, type LogLevelName } from '../../preload/contract/logs.ts';
import { defaultCodexHome, defaultDataDir } from '../core/paths.ts';

export type LogsOutput = 'full' | 'compact' | 'json';

export interface LogsCommand {
  command: 'logs';
  codexHome: string;
  dataDir: string;
  source: LogSource;
  /** `--thread`, in the order given (sub-agents not yet expanded). */
  threadIds: string[];
  subagents: boolean;
  /** With `threadIds`: also rows without a thread; alone: only those (seed `--threadless`). */
  threadless: boolean;
  minLevel: LogLevelName | undefined;
  fromMs: number | undefined;
  toMs: number | undefined;
  target: string | undefined;
  text: string | undefined;
  process: string | undefined;
  /** Backfill: the newest N matching rows, printed oldest first (0 = none). */
  limit: number;
  follow: boolean;
  pollMs: number;
  output: LogsOutput;
}

export const LOGS_DEFAULT_LIMIT = 200;
export const LOGS_MAX_LIMIT = 100_000;
export const LOGS_DEFAULT_POLL_MS = 500;
const POLL_MS_RANGE = [10, 60_000] as const;

/** A bad `logs` argument; `parseCli` turns it into a usage error (exit 2). */
export class LogsArgError extends Error {}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const RELATIVE = /^(\d+)(s|m|h|d)$/;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** RFC 3339 date-time to epoch ms (fraction truncated to ms), or null when it is not one. */
export function parseRfc3339(s: string): number | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 60) return null;
  const frac = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetMin = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (!m[8] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return null;
  return Date.UTC(y, mo - 1, d, h, mi, sec, frac) - offsetMin * 60_000;
}

/** `--since`/`--until`: RFC 3339, integer unix seconds, or an age (`30s`, `10m`, `2h`, `3d` ago). */
export function parseLogTime(flag: string, value: string, nowMs: number): number {
  const v = value.trim();
  const rel = RELATIVE.exec(v);
  const ms = /^\d+$/.test(v)
    ? Number(v) * 1000
    : rel
      ? nowMs - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]
      : parseRfc3339(v);
  if (ms === null || !Number.isSafeInteger(ms)) {
    throw new LogsArgError(
      `${flag}: expected an RFC 3339 time (2026-03-01T10:00:00Z), unix seconds, or an age like 30s, 10m, 2h, 3d; got '${value}'`,
    );
  }
  return Math.max(0, ms);
}

function intArg(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new LogsArgError(`${flag}: expected a whole number from ${min} to ${max}; got '${value}'`);
  }
  return n;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!v) throw new LogsArgError(`${flag}: needs a value`);
  return v;
}

/** Parses the arguments after `logs`. Throws LogsArgError (or parseArgs' own error) on bad input. */
export function parseLogsArgs(args: string[], nowMs = Date.now()): LogsCommand {
  const { values } = parseArgs({
    args,
    options: {
      'codex-home': { type: 'string' },
      'data-dir': { type: 'string' },
      source: { type: 'string' },
      thread: { type: 'string', multiple: true },
      subagents: { type: 'boolean' },
      threadless: { type: 'boolean' },
      level: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      target: { type: 'string' },
      search: { type: 'string' },
      process: { type: 'string' },
      limit: { type: 'string' },
      follow: { type: 'boolean' },
      'poll-ms': { type: 'string' },
      compact: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const source = LogSource.safeParse(values.source ?? 'app');
  if (!source.success) throw new LogsArgError(`--source: expected app or codex; got '${values.source}'`);
  const level = values.level?.trim().toUpperCase();
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new LogsArgError(`--level: expected one of ${LOG_LEVELS.join(', ')}; got '${values.level}'`);
  }
  const threadIds = (values.thread ?? []).map((t) => nonEmpty('--thread', t) as string);
  if (values.subagents && threadIds.length === 0) {
    throw new LogsArgError('--subagents: give the parent thread with --thread ID');
  }
  const fromMs = values.since === undefined ? undefined : parseLogTime('--since', values.since, nowMs);
  const toMs = values.until === undefined ? undefined : parseLogTime('--until', values.until, nowMs);
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    throw new LogsArgError('--since is later than --until: nothing can match');
  }
  if (values.compact && values.json) throw new LogsArgError('--compact and --json cannot be combined');
  return {
    command: 'logs',
    codexHome: values['codex-home'] ?? defaultCodexHome(),
    dataDir: values['data-dir'] ?? defaultDataDir(),
    source: source.data,
    threadIds: [...new Set(threadIds)],
    subagents: values.subagents ?? false,
    threadless: values.threadless ?? false,
    minLevel: level as LogLevelName | undefined,
    fromMs,
    toMs,
    target: nonEmpty('--target', values.target),
    text: nonEmpty('--search', values.search),
    process: nonEmpty('--process', values.process),
    limit: intArg('--limit', values.limit, LOGS_DEFAULT_LIMIT, 0, LOGS_MAX_LIMIT),
    follow: values.follow ?? false,
    pollMs: intArg('--poll-ms', values['poll-ms'], LOGS_DEFAULT_POLL_MS, ...POLL_MS_RANGE),
    output: values.json ? 'json' : values.compact ? 'compact' : 'full',
  };
}
