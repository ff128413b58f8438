import { join } from 'node:path';
import type {
  LogSource,
  LogSourceStatus,
  LogsHistogram,
  LogsHistogramInput,
  LogsPage,
  LogsQueryInput,
  LogsTail,
  LogsTailInput,
  ParsedLogFilter,
} from '../../preload/contract/logs.ts';
import { AppError } from '../core/app-error.ts';
import type { Slicer } from '../core/time-slice.ts';
import type { Db } from '../state/connection.ts';
import { createLogger, type Logger } from './app-logger.ts';
import { CodexLogs } from './codex-logs.ts';
import { applyLogRetention, DEFAULT_LOG_CAPS, DEFAULT_LOG_RETENTION_DAYS, type LogCaps } from './log-caps.ts';
import { appProcessUuid } from './log-entry.ts';
import type { ResolvedLogFilter } from './log-filter-sql.ts';
import { HistogramCache } from './histogram-cache.ts';
import { logHistogram } from './log-histogram.ts';
import { LogCursorError, LogReader } from './log-reader.ts';
import { inlineLogSink, type LogSink } from './log-sink.ts';
import { FULL_LOG_SHAPE } from './log-table.ts';
import { LogWriter } from './log-writer.ts';
import { logsDbFileName, openLogsDb } from './logs-db.ts';
import { LOG_WORKER_MAX_TX_ROWS } from './logs-worker-protocol.ts';
import { subagentExpander } from './subagent-ids.ts';
import { workerLogSink } from './worker-log-sink.ts';

export interface LogsConfig {
  caps: LogCaps;
  retentionDays: number;
  minLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Periodic flush of the writer's queue (seed: 2 s; the app uses 1 s so a live tail feels live). */
  flushIntervalMs: number;
}

export const DEFAULT_LOGS_CONFIG: LogsConfig = {
  caps: DEFAULT_LOG_CAPS,
  retentionDays: DEFAULT_LOG_RETENTION_DAYS,
  minLevel: 'DEBUG',
  flushIntervalMs: 1_000,
};

export interface LogsServiceOptions {
  dataDir: string;
  codexHome: string;
  /** The state DB (sub-agent expansion of thread filters). */
  stateDb: Db;
  /** Built logs-worker script; null writes on this thread. */
  worker: URL | null;
  config?: Partial<LogsConfig>;
  slicer: Slicer;
  /** `logs:appended`, coalesced by the service. */
  onAppended: (source: LogSource, maxId: number) => void;
  /** Poll Codex's logs DB for new rows (default true; the CLI follows on its own). */
  watchCodex?: boolean;
  /** Mirror of WARN/ERROR lines (stderr). */
  mirror?: ((line: string) => void) | null;
}

export interface LogsService {
  readonly logger: Logger;
  readonly config: LogsConfig;
  sources(): LogSourceStatus[];
  status(source: LogSource): LogSourceStatus;
  query(input: LogsQueryInput & { filter: ParsedLogFilter; limit: number }): LogsPage;
  tail(input: LogsTailInput & { filter: ParsedLogFilter; limit: number }): LogsTail;
  histogram(input: LogsHistogramInput & { filter: ParsedLogFilter; buckets: number }): Promise<LogsHistogram>;
  flush(): Promise<{ dropped: number }>;
  close(): Promise<void>;
}

const CODEX_POLL_MS = 1_000;
const APPENDED_MIN_GAP_MS = 250;

/**
 * Both log sources behind one interface: Threadscope's own logs DB (written through the bounded
 * writer, on the logs worker when built) and Codex's, read-only. Emits `logs:appended` with the new
 * max id at most every 250 ms per source; readers pull rows at their own pace.
 */
export function createLogsService(o: LogsServiceOptions): LogsService {
  const config: LogsConfig = { ...DEFAULT_LOGS_CONFIG, ...o.config };
  const appPath = join(o.dataDir, logsDbFileName);
  let appDb: Db | null = null;
  let appNotice: string | null = null;
  try {
    appDb = openLogsDb(o.dataDir);
  } catch (err) {
    appNotice = `Threadscope's logs database cannot be opened: ${(err as Error).message}`;
  }
  const appReader = appDb ? new LogReader(appDb, FULL_LOG_SHAPE) : null;
  const codex = new CodexLogs(o.codexHome);
  const processUuid = appProcessUuid();

  const lastEmit: Record<LogSource, { at: number; maxId: number; timer: NodeJS.Timeout | null }> = {
    app: { at: 0, maxId: 0, timer: null },
    codex: { at: 0, maxId: 0, timer: null },
  };
  const appended = (source: LogSource, maxId: number): void => {
    const e = lastEmit[source];
    if (maxId <= e.maxId) return;
    e.maxId = maxId;
    if (e.timer) return;
    const wait = Math.max(0, e.at + APPENDED_MIN_GAP_MS - Date.now());
    e.timer = setTimeout(() => {
      e.timer = null;
      e.at = Date.now();
      o.onAppended(source, e.maxId);
    }, wait);
    e.timer.unref();
  };

  let sink: LogSink | null = null;
  if (appDb) {
    if (o.worker) {
      sink = workerLogSink(
        o.worker,
        {
          dbFile: appPath,
          caps: config.caps,
          maxTxRows: LOG_WORKER_MAX_TX_ROWS,
          retentionDays: config.retentionDays,
        },
        {
          onCommit: (maxId) => appended('app', maxId),
          onError: (err) => o.mirror?.(`[threadscope::logs] ${err.message}`),
        },
      );
    } else {
      applyLogRetention(appDb, config.retentionDays);
      const db = appDb;
      const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM logs').pluck();
      sink = inlineLogSink(db, config.caps, () => appended('app', maxId.get() as number));
    }
  }
  const writer = sink ? new LogWriter(sink, { processUuid, flushIntervalMs: config.flushIntervalMs }) : null;
  const logger = createLogger({ writer, minLevel: config.minLevel, mirror: o.mirror ?? null });

  let codexTimer: NodeJS.Timeout | null = null;
  if (o.watchCodex !== false) {
    codexTimer = setInterval(() => {
      try {
        const s = codex.refresh();
        if (s.available) appended('codex', s.reader.maxId());
      } catch {
        // A busy or vanished DB is reported by the next status call; polling just tries again.
      }
    }, CODEX_POLL_MS);
    codexTimer.unref();
  }

  const readerFor = (source: LogSource): LogReader => {
    if (source === 'app') {
      if (!appReader) throw new AppError('UNAVAILABLE', appNotice ?? 'The logs database is not open');
      return appReader;
    }
    const s = codex.refresh();
    if (!s.available) throw new AppError('UNAVAILABLE', s.notice, [s.path]);
    return s.reader;
  };

  const withSubagents = subagentExpander(o.stateDb);
  const resolve = (f: ParsedLogFilter): ResolvedLogFilter => {
    const threadIds = f.threadIds && f.includeSubagents ? withSubagents(f.threadIds) : f.threadIds;
    return { ...f, threadIds };
  };

  const histograms = new HistogramCache();

  const status = (source: LogSource): LogSourceStatus => {
    if (source === 'app') {
      const range = appReader?.range() ?? { maxId: 0, oldestMs: null, newestMs: null };
      return {
        source,
        available: appReader !== null,
        path: appPath,
        notice: appNotice,
        missingColumns: [],
        ...range,
        currentProcess: processUuid,
      };
    }
    const s = codex.refresh();
    const range = s.available ? s.reader.range() : { maxId: 0, oldestMs: null, newestMs: null };
    return {
      source,
      available: s.available,
      path: s.path,
      notice: s.notice,
      missingColumns: s.available ? s.reader.shape.missing : [],
      ...range,
      currentProcess: null,
    };
  };

  return {
    logger,
    config,
    sources: () => [status('app'), status('codex')],
    status,
    query(input) {
      try {
        return readerFor(input.source).page(resolve(input.filter), input.cursor ?? null, input.limit);
      } catch (err) {
        if (err instanceof LogCursorError) throw new AppError('INVALID_INPUT', 'cursor: not a logs cursor');
        throw err;
      }
    },
    tail: (input) => readerFor(input.source).tail(resolve(input.filter), input.afterId, input.limit),
    histogram(input) {
      const reader = readerFor(input.source);
      const filter = resolve(input.filter);
      const key = JSON.stringify([input.source, filter, input.buckets]);
      return histograms.get(key, reader.maxId(), () => logHistogram(reader, filter, input.buckets, o.slicer));
    },
    async flush() {
      await writer?.flush();
      return { dropped: writer?.droppedCount ?? 0 };
    },
    async close() {
      if (codexTimer) clearInterval(codexTimer);
      for (const e of Object.values(lastEmit)) if (e.timer) clearTimeout(e.timer);
      await writer?.close();
      codex.close();
      appDb?.close();
    },
  };
}
