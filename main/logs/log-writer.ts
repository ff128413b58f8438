import type { Db } from '../state/connection.ts';
import { DEFAULT_LOG_CAPS, type LogCaps } from './log-caps.ts';
import { appProcessUuid, nowTs, toLogRow, type LogEntry, type LogRow } from './log-entry.ts';
import { inlineLogSink, type LogSink } from './log-sink.ts';

/** Seed §4.3 constants. */
export const LOG_QUEUE_CAPACITY = 512;
export const LOG_BATCH_SIZE = 128;
export const LOG_FLUSH_INTERVAL_MS = 2_000;

export interface LogWriterOptions {
  capacity?: number;
  batchSize?: number;
  flushIntervalMs?: number;
  /** With a Db target: `null` writes without caps. (A sink brings its own.) */
  caps?: LogCaps | null;
  /** Stamped on every row without its own (seed: `pid:<pid>:<uuid>`). */
  processUuid?: string;
  /** Called when a batch cannot be written (its rows are counted as dropped and reported later). */
  onError?: (err: Error) => void;
}

/** What callers log: the writer adds the time (unless given) and the process uuid. */
export type LogInput = Omit<LogEntry, 'ts' | 'tsNanos' | 'processUuid'> &
  Partial<Pick<LogEntry, 'ts' | 'tsNanos' | 'processUuid'>>;

export const DROPPED_TARGET = 'threadscope::logs';

/**
 * The logs DB writer (seed §4.3): a bounded queue drained in batches — as soon as a batch is full (on the
 * next turn of the event loop, so logging never waits for SQLite), every `flushIntervalMs`, and on
 * `flush()`/`close()`. Unlike the seed it never drops silently: rows refused by a full queue (or lost to
 * a failed write) are counted, and once a write succeeds one WARN row says how many were lost.
 */
export class LogWriter {
  private queue: LogRow[] = [];
  private dropped = 0;
  private scheduled = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout | null;
  private readonly sink: LogSink;
  private readonly capacity: number;
  private readonly batchSize: number;
  readonly processUuid: string;

  private readonly opts: LogWriterOptions;

  /** `target`: a Db (batches are written on this thread) or a sink (e.g. the logs worker). */
  constructor(target: Db | LogSink, opts: LogWriterOptions = {}) {
    this.opts = opts;
    this.sink = isSink(target)
      ? target
      : inlineLogSink(target, opts.caps === undefined ? DEFAULT_LOG_CAPS : opts.caps);
    this.capacity = opts.capacity ?? LOG_QUEUE_CAPACITY;
    this.batchSize = opts.batchSize ?? LOG_BATCH_SIZE;
    this.processUuid = opts.processUuid ?? appProcessUuid();
    const every = opts.flushIntervalMs ?? LOG_FLUSH_INTERVAL_MS;
    this.timer = every > 0 ? setInterval(() => this.drain(), every) : null;
    this.timer?.unref();
  }

  /** Queues one row; returns false (and counts it) when the queue is full or the writer is closed. */
  log(input: LogInput): boolean {
    if (this.closed || this.queue.length + this.sink.inFlight >= this.capacity) {
      this.dropped++;
      return false;
    }
    const t = input.ts === undefined ? nowTs() : { ts: input.ts, tsNanos: input.tsNanos ?? 0 };
    this.queue.push(
      toLogRow({
        ...input,
        ...t,
        processUuid: input.processUuid === undefined ? this.processUuid : input.processUuid,
      }),
    );
    if (this.queue.length >= this.batchSize && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.drain();
      });
    }
    return true;
  }

  /** Rows refused or lost since the last successful write (not yet reported in the DB). */
  get droppedCount(): number {
    return this.dropped;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Resolves once every row queued before the call is on disk (committed). */
  async flush(): Promise<void> {
    this.drain();
    await this.sink.settle();
    // Rows the sink lost meanwhile are reported now, not at some later write.
    if (this.collectLost() > 0) {
      this.drain();
      await this.sink.settle();
    }
  }

  /** Flushes and stops; later rows are counted as dropped. Closes the sink, not the DB. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.sink.close();
  }

  private collectLost(): number {
    const lost = this.sink.takeLost();
    this.dropped += lost;
    return lost;
  }

  /** Writes the whole queue, one transaction per batch. */
  private drain(): void {
    this.collectLost();
    while (this.queue.length > 0 || this.dropped > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      const report = batch.length < this.batchSize ? this.dropped : 0;
      if (report > 0) batch.push(this.droppedRow(report));
      try {
        this.sink.write(batch, report);
        this.dropped -= report;
      } catch (err) {
        this.dropped += batch.length - (report > 0 ? 1 : 0);
        this.opts.onError?.(err as Error);
        return;
      }
    }
  }

  private droppedRow(n: number): LogRow {
    return toLogRow({
      ...nowTs(),
      level: 'WARN',
      target: DROPPED_TARGET,
      message: `${n} log row${n === 1 ? ' was' : 's were'} dropped (log queue full or a write failed)`,
      processUuid: this.processUuid,
    });
  }
}

const isSink = (t: Db | LogSink): t is LogSink => typeof (t as Partial<LogSink>).settle === 'function';
