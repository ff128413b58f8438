import {
  LOG_LEVELS,
  type LogFilter,
  type LogLevelName,
  type LogSource,
} from '../../../preload/contract/index.ts';

/**
 * Everything the Logs page shows, as kept in the hash query
 * (`#/logs?source=codex&level=WARN&thread=<id>&sub=1&q=timeout&from=…&to=…`), so a view is a link.
 */
export interface LogsView {
  /** Null: not chosen; the page picks Codex when its DB is there, else Threadscope's own logs. */
  source: LogSource | null;
  /** Minimum level (this level and more severe). */
  level: LogLevelName | null;
  threads: string[];
  /** Also the threads' sub-agents. */
  sub: boolean;
  /** Exact process uuid, `''` for none. */
  process: string;
  /** Substring of target or module path. */
  target: string;
  /** Substring of the message. */
  q: string;
  /** Inclusive epoch-ms bounds. */
  fromMs: number | null;
  toMs: number | null;
}

export const DEFAULT_LOGS_VIEW: LogsView = {
  source: null,
  level: null,
  threads: [],
  sub: false,
  process: '',
  target: '',
  q: '',
  fromMs: null,
  toMs: null,
};

/** `around=<ms>` is shorthand for this much either side. */
export const AROUND_MS = 30_000;
/** The contract's limits on the filter (longer values are cut, extra threads dropped). */
const MAX_THREADS = 50;
const MAX_ID = 200;
const MAX_TARGET = 200;
const MAX_TEXT = 500;

function parseLevel(value: string | null): LogLevelName | null {
  if (!value) return null;
  const upper = value.trim().toUpperCase();
  const name = upper === 'WARNING' ? 'WARN' : upper;
  return (LOG_LEVELS as readonly string[]).includes(name) ? (name as LogLevelName) : null;
}

/** Epoch ms from digits, or from an ISO 8601 / RFC 3339 date (handy for hand-written links). */
export function parseMs(value: string | null): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d{1,15}$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** `thread=a&thread=b,c` → `['a', 'b', 'c']`: trimmed, distinct, within the contract's limits. */
function parseThreads(values: string[]): string[] {
  const ids = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '' && v.length <= MAX_ID);
  return [...new Set(ids)].slice(0, MAX_THREADS);
}

/** Reads the view from URL params; unknown or malformed values fall back to the defaults. */
export function parseLogsView(params: URLSearchParams): LogsView {
  const source = params.get('source');
  let fromMs = parseMs(params.get('from'));
  let toMs = parseMs(params.get('to'));
  const around = parseMs(params.get('around'));
  if (around !== null) {
    fromMs ??= Math.max(0, around - AROUND_MS);
    toMs ??= around + AROUND_MS;
  }
  if (fromMs !== null && toMs !== null && fromMs > toMs) [fromMs, toMs] = [toMs, fromMs];
  const sub = params.get('sub');
  return {
    source: source === 'app' || source === 'codex' ? source : null,
    level: parseLevel(params.get('level')),
    threads: parseThreads(params.getAll('thread')),
    sub: sub === '1' || sub === 'true',
    process: (params.get('process') ?? '').trim().slice(0, MAX_ID),
    target: (params.get('target') ?? '').slice(0, MAX_TARGET),
    q: (params.get('q') ?? '').slice(0, MAX_TEXT),
    fromMs,
    toMs,
  };
}

/** The view as URL params, defaults left out so a plain `#/logs` stays plain. */
export function serializeLogsView(view: LogsView): URLSearchParams {
  const p = new URLSearchParams();
  if (view.source) p.set('source', view.source);
  if (view.level) p.set('level', view.level);
  for (const id of view.threads) p.append('thread', id);
  if (view.sub && view.threads.length > 0) p.set('sub', '1');
  if (view.process) p.set('process', view.process);
  if (view.target) p.set('target', view.target);
  if (view.q) p.set('q', view.q);
  if (view.fromMs !== null) p.set('from', String(view.fromMs));
  if (view.toMs !== null) p.set('to', String(view.toMs));
  return p;
}

/**
 * The contract filter for a view. `target` and `text` are the debounced inputs (the URL follows them
 * once they settle). Blank values are left out; `includeSubagents` only means something with threads.
 */
export function logFilter(view: LogsView, target = view.target, text = view.q): LogFilter {
  const f: LogFilter = {};
  if (view.level) f.minLevel = view.level;
  if (view.threads.length > 0) {
    f.threadIds = view.threads;
    if (view.sub) f.includeSubagents = true;
  }
  if (view.process.trim()) f.process = view.process.trim();
  if (target.trim()) f.target = target.trim().slice(0, MAX_TARGET);
  if (text.trim()) f.text = text.trim().slice(0, MAX_TEXT);
  if (view.fromMs !== null) f.fromMs = view.fromMs;
  if (view.toMs !== null) f.toMs = view.toMs;
  return f;
}

/** True when anything narrows the rows (the source is not a filter). */
export function hasLogFilters(view: LogsView): boolean {
  return (
    view.level !== null ||
    view.threads.length > 0 ||
    view.process !== '' ||
    view.target.trim() !== '' ||
    view.q.trim() !== '' ||
    view.fromMs !== null ||
    view.toMs !== null
  );
}

/** The view with every filter removed; the source stays. */
export function clearLogFilters(view: LogsView): LogsView {
  return { ...DEFAULT_LOGS_VIEW, source: view.source };
}

/** `#/logs?…` for a view. */
export function logsHref(view: Partial<LogsView>): string {
  const query = serializeLogsView({ ...DEFAULT_LOGS_VIEW, ...view }).toString();
  return `#/logs${query ? `?${query}` : ''}`;
}

/** Codex's logs of a thread and its sub-agents, ±30 s around a moment (a transcript item's time). */
export function logsAroundHref(threadId: string, ms: number): string {
  const p = new URLSearchParams({ source: 'codex', thread: threadId, sub: '1', around: String(ms) });
  return `#/logs?${p.toString()}`;
}
