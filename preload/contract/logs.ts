import { z } from 'zod';
import { method } from './define.ts';

/** `app`: Threadscope's own logs DB; `codex`: Codex's `logs_N.sqlite`, opened read-only. */
export const LogSource = z.enum(['app', 'codex']);
export type LogSource = z.infer<typeof LogSource>;

/** Least to most severe. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export const LogLevelName = z.enum(LOG_LEVELS);
export type LogLevelName = z.infer<typeof LogLevelName>;

const Text = (max: number) => z.string().trim().max(max);

export const LogFilter = z
  .object({
    /** Rows at this level or more severe. */
    minLevel: LogLevelName.optional(),
    /** Rows of these threads (any id string: Codex records whatever the span carried). */
    threadIds: z.array(z.string().min(1).max(200)).max(50).optional(),
    /** Also the sub-agents (and their sub-agents) of `threadIds`, as the state DB knows them. */
    includeSubagents: z.boolean().optional(),
    /** Also rows without a thread (seed `include_threadless`); without `threadIds`, only those. */
    includeThreadless: z.boolean().optional(),
    /** Exact process uuid (`pid:<pid>:<uuid>`). */
    process: Text(200).optional(),
    /** Substring of the target or the module path (ASCII case-insensitive). */
    target: Text(200).optional(),
    /** Substring of the message (ASCII case-insensitive). */
    text: Text(500).optional(),
    /** Inclusive time range, epoch milliseconds. */
    fromMs: z.number().int().nonnegative().optional(),
    toMs: z.number().int().nonnegative().optional(),
  })
  .strict();
export type LogFilter = z.input<typeof LogFilter>;
export type ParsedLogFilter = z.output<typeof LogFilter>;

export const LogRecord = z.object({
  /** Row id in its source DB (insertion order). */
  id: z.number().int(),
  /** Epoch seconds and sub-second nanoseconds, as stored. */
  ts: z.number().int(),
  tsNanos: z.number().int(),
  /** Usually one of LOG_LEVELS; another DB may hold other strings. */
  level: z.string(),
  target: z.string(),
  message: z.string().nullable(),
  modulePath: z.string().nullable(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  threadId: z.string().nullable(),
  processUuid: z.string().nullable(),
});
export type LogRecord = z.infer<typeof LogRecord>;

export const LogSourceStatus = z.object({
  source: LogSource,
  available: z.boolean(),
  /** The DB file (or where it was looked for). */
  path: z.string(),
  /** Why it is unavailable, or what is limited (missing columns), for the page to say. */
  notice: z.string().nullable(),
  /** Columns the source lacks; filters on them match nothing. */
  missingColumns: z.array(z.string()),
  /** Highest row id now (0 when empty): where a live tail starts. */
  maxId: z.number().int(),
  /** Oldest and newest row times, epoch ms (null when empty). */
  oldestMs: z.number().nullable(),
  newestMs: z.number().nullable(),
  /** This process's uuid for `app` (the "this session" process filter); null for `codex`. */
  currentProcess: z.string().nullable(),
});
export type LogSourceStatus = z.infer<typeof LogSourceStatus>;

export const LogsQueryInput = z
  .object({
    source: LogSource,
    filter: LogFilter.default({}),
    /** Opaque cursor from the previous page. */
    cursor: z.string().max(200).nullish(),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .strict();
export type LogsQueryInput = z.input<typeof LogsQueryInput>;

export const LogsPage = z.object({
  /** Newest first by (ts, ts_nanos, id). */
  rows: z.array(LogRecord),
  /** Null when nothing older matches. */
  nextCursor: z.string().nullable(),
  /**
   * Set when the page stopped on its work budget before filling: everything newer than this time
   * (epoch ms) was searched; ask for `nextCursor` to keep going.
   */
  searchedBackToMs: z.number().nullable(),
});
export type LogsPage = z.infer<typeof LogsPage>;

export const LogsTailInput = z
  .object({
    source: LogSource,
    filter: LogFilter.default({}),
    /** Rows with a higher id than this (the status's `maxId`, then the last tail's `lastId`). */
    afterId: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(1000).default(500),
  })
  .strict();
export type LogsTailInput = z.input<typeof LogsTailInput>;

export const LogsTail = z.object({
  /** Oldest first (id order). */
  rows: z.array(LogRecord),
  /** Pass as the next `afterId`. */
  lastId: z.number().int(),
  /** More matching rows arrived than `limit`: call again at once. */
  more: z.boolean(),
});
export type LogsTail = z.infer<typeof LogsTail>;

export const LogsHistogramInput = z
  .object({
    source: LogSource,
    filter: LogFilter.default({}),
    buckets: z.number().int().min(1).max(240).default(60),
  })
  .strict();
export type LogsHistogramInput = z.input<typeof LogsHistogramInput>;

export const LogLevelCounts = z.object({
  TRACE: z.number().int(),
  DEBUG: z.number().int(),
  INFO: z.number().int(),
  WARN: z.number().int(),
  ERROR: z.number().int(),
  /** Levels outside LOG_LEVELS. */
  other: z.number().int(),
});
export type LogLevelCounts = z.infer<typeof LogLevelCounts>;

export const LogsHistogram = z.object({
  /** The range covered (the filter's, else the source's oldest..newest), epoch ms. */
  fromMs: z.number(),
  toMs: z.number(),
  bucketMs: z.number(),
  /** `buckets` entries, oldest first; bucket i starts at fromMs + i * bucketMs. */
  counts: z.array(LogLevelCounts),
  total: z.number().int(),
});
export type LogsHistogram = z.infer<typeof LogsHistogram>;

const SourceInput = z.object({ source: LogSource }).strict();

export const logsMethods = {
  sources: method(
    'Both log sources: whether each is available, where it lives, its range and max id',
    z.object({}).strict(),
    z.array(LogSourceStatus),
  ),
  status: method('One log source: availability, range and max id', SourceInput, LogSourceStatus),
  query: method('Filtered log rows, newest first, paged by cursor', LogsQueryInput, LogsPage),
  tail: method('Matching rows that arrived after an id, oldest first (live tail)', LogsTailInput, LogsTail),
  histogram: method('Matching rows per time bucket and level', LogsHistogramInput, LogsHistogram),
  flush: method(
    "Writes every queued row of the app's own logs now (resolves once on disk)",
    z.object({}).strict(),
    z.object({ dropped: z.number().int() }),
  ),
} as const;
