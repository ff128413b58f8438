import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { builtWorkers } from '../main/app/worker-url.ts';
import { DEFAULT_LOG_CAPS, type LogCaps } from '../main/logs/log-caps.ts';
import type { LogRow } from '../main/logs/log-entry.ts';
import { LogInserter } from '../main/logs/log-inserter.ts';
import type { LogSink } from '../main/logs/log-sink.ts';
import { LOG_BATCH_SIZE, LOG_QUEUE_CAPACITY, LogWriter, type LogInput } from '../main/logs/log-writer.ts';
import { logsDbFileName, openLogsDb } from '../main/logs/logs-db.ts';
import { LOG_WORKER_MAX_TX_ROWS } from '../main/logs/logs-worker-protocol.ts';
import { workerLogSink } from '../main/logs/worker-log-sink.ts';
import { BENCH_PROCESS, logRows, toLogInput } from './logs-rows.ts';
import { startProbes, type ProbeResult } from './probes.ts';
import { profiled } from './section-profiler.ts';
import { percentile } from './stats.ts';

export interface LogsInput {
  dataDir: string;
  rows: number;
  threads: number;
  runs: number;
  seed: number;
}

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export interface WorkerRunStats {
  /** Rows per worker transaction (rows / commits reported). */
  txRows: number;
  /** Times the producer waited for queue space (the writer's capacity). */
  waits: number;
  dropped: number;
  /** Main-thread µs per `log()` call, and ms per batch hand-off to the worker (clone + postMessage). */
  logCallUs: Spread;
  handoffMs: Spread;
  handoffs: number;
  /** Main-thread µs per row spent in the writer (log calls + hand-offs), and event-loop utilization. */
  mainUsPerRow: number;
  elu: number;
  probes: ProbeResult;
}

export interface LogsOutput {
  rows: number;
  threads: number;
  threadless: number;
  avgRowBytes: number;
  capacity: number;
  maxTxRows: number;
  /** Raw batched inserts (128 rows per transaction, same schema and indexes, no caps), ms per run. */
  rawMs: number[];
  /** The app's path: LogWriter over workerLogSink with the seed's caps, until all rows are committed. */
  workerMs: number[];
  workerRuns: WorkerRunStats[];
  workerRowsKept: number;
  /** Raw inserts and the capped inserter (this thread, pre-built rows) at the worker's transaction size. */
  txRows: number[];
  rawAtTxMs: number[];
  cappedAtTxMs: number[];
  /** Notes: the writer writing on this thread (log + flush per 128 rows), exact caps and with slack. */
  inlineMs: number[];
  inlineFlushMs: Spread;
  inlineRowsKept: number;
  slackMs: number[];
  slackRows: number;
  /** Note: the worker writer with a larger queue (more batches merge per transaction), first run only. */
  bigQueue: { capacity: number; ms: number; txRows: number; dropped: number } | null;
}

const SLACK_ROWS = 100;
/** Enough in flight for the worker to reach its 1,024-row transactions. */
const BIG_QUEUE = 4_096;
const spread = (xs: ArrayLike<number>): Spread => {
  const a = Array.from(xs);
  return { p50: percentile(a, 50), p99: percentile(a, 99), max: a.reduce((m, x) => Math.max(m, x), 0) };
};

function freshDir(base: string, name: string): string {
  const dir = join(base, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

const count = (dir: string): number => {
  const db = openLogsDb(dir);
  const n = db.prepare('SELECT count(*) FROM logs').pluck().get() as number;
  db.close();
  return n;
};

/** Pre-built rows through the inserter, `txRows` rows per transaction, with or without caps. */
function runInserter(dir: string, rows: LogRow[], caps: boolean, txRows: number): number {
  const db = openLogsDb(dir);
  const ins = new LogInserter(db, caps ? undefined : null);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += txRows) ins.insert(rows.slice(i, i + txRows));
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

/** The writer on this thread: log 128 rows, then flush (one transaction), as the pre-worker design did. */
async function runInline(
  dir: string,
  inputs: readonly LogInput[],
  flushes: number[],
  caps: LogCaps,
): Promise<number> {
  const db = openLogsDb(dir);
  const writer = new LogWriter(db, { flushIntervalMs: 0, processUuid: BENCH_PROCESS, caps });
  const t0 = performance.now();
  for (let i = 0; i < inputs.length; i += LOG_BATCH_SIZE) {
    for (let k = i; k < Math.min(inputs.length, i + LOG_BATCH_SIZE); k++) writer.log(inputs[k] as LogInput);
    const f0 = performance.now();
    await writer.flush();
    flushes.push(performance.now() - f0);
  }
  await writer.close();
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

/**
 * The app's path: rows logged on this thread into a LogWriter (default capacity and batch size) over
 * workerLogSink, where logs-worker merges queued batches into transactions of up to 1,024 rows with the
 * seed's caps. The producer never loses a row: when the queue is full it waits for the next commit.
 * Timed from the first log() until flush() resolves with everything committed (worker start excluded).
 * Rows are made as they are logged, so the heap holds no pre-built rows (whose GC would be ours, not
 * the writer's).
 */
async function runWorker(
  dir: string,
  script: URL,
  rows: Iterator<LogRow>,
  n: number,
  capacity = LOG_QUEUE_CAPACITY,
): Promise<{ ms: number; s: WorkerRunStats }> {
  const db = openLogsDb(dir); // migrates, and stays open the way the app keeps it for reading
  let commits = 0;
  let wake: (() => void) | null = null;
  const errors: string[] = [];
  const sink = workerLogSink(
    script,
    {
      dbFile: join(dir, logsDbFileName),
      caps: DEFAULT_LOG_CAPS,
      maxTxRows: LOG_WORKER_MAX_TX_ROWS,
      retentionDays: null,
    },
    {
      onCommit: () => {
        commits++;
        wake?.();
        wake = null;
      },
      onError: (e) => errors.push(e.message),
    },
  );
  const handoff: number[] = [];
  const timed: LogSink = {
    write(rows, carried) {
      const a = performance.now();
      sink.write(rows, carried);
      handoff.push(performance.now() - a);
    },
    get inFlight() {
      return sink.inFlight;
    },
    takeLost: () => sink.takeLost(),
    settle: () => sink.settle(),
    close: () => sink.close(),
  };
  const writer = new LogWriter(timed, { flushIntervalMs: 0, processUuid: BENCH_PROCESS, capacity });
  await sink.settle(); // the worker is up with its DB open
  const logUs = new Float64Array(n);
  let waits = 0;
  const probes = startProbes();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  await profiled('logs-worker-writer', async () => {
    for (let i = 0; i < n;) {
      if (writer.queuedCount + sink.inFlight >= capacity) {
        waits++;
        await new Promise<void>((resolve) => {
          if (sink.inFlight > 0) wake = resolve;
          else setImmediate(resolve); // the queue is full but not handed off yet: let the writer drain it
        });
        continue;
      }
      const next = rows.next();
      if (next.done) break;
      const input = toLogInput(next.value);
      const a = performance.now();
      writer.log(input);
      logUs[i++] = (performance.now() - a) * 1000;
    }
    await writer.flush();
  });
  const ms = performance.now() - t0;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const p = probes.stop();
  const dropped = writer.droppedCount;
  await writer.close();
  db.close();
  if (errors.length > 0) throw new Error(`the logs worker failed: ${errors[0]}`);
  const handoffSum = handoff.reduce((n, x) => n + x, 0);
  const logSum = logUs.reduce((n, x) => n + x, 0) / 1000;
  return {
    ms,
    s: {
      txRows: n / Math.max(1, commits),
      waits,
      dropped,
      logCallUs: spread(logUs),
      handoffMs: spread(handoff),
      handoffs: handoff.length,
      mainUsPerRow: ((logSum + handoffSum) * 1000) / n,
      elu,
      probes: p,
    },
  };
}

/**
 * Sustained log writing with the seed's caps (10 MiB / 1,000 rows per partition) through the logs worker,
 * against raw batched inserts with the same schema and indexes into an identical fresh DB, in the same
 * run, alternated run by run; plus the same inserts at the worker's transaction size, and the writer on
 * this thread, as notes.
 */
export async function logsPhase({ dataDir, rows: n, threads, runs, seed }: LogsInput): Promise<LogsOutput> {
  const script = builtWorkers(pathToFileURL(process.argv[1] ?? '').href).logs;
  if (!script) throw new Error('logs-worker.js is not built beside the bench bundle');
  // Pre-built rows live only inside each measurement that needs them (made outside its timing).
  const made = (): LogRow[] => [...logRows(n, threads, seed)];
  const inserter = (name: string, caps: boolean, tx: number): number =>
    runInserter(freshDir(dataDir, name), made(), caps, tx);
  const inline = async (name: string, flushes: number[], caps: LogCaps): Promise<number> =>
    runInline(freshDir(dataDir, name), made().map(toLogInput), flushes, caps);
  let threadless = 0;
  let bytes = 0;
  for (const r of logRows(n, threads, seed)) {
    if (r.threadId === null) threadless++;
    bytes += r.estimatedBytes;
  }
  const out: LogsOutput = {
    rows: n,
    threads,
    threadless,
    avgRowBytes: bytes / n,
    capacity: LOG_QUEUE_CAPACITY,
    maxTxRows: LOG_WORKER_MAX_TX_ROWS,
    rawMs: [],
    workerMs: [],
    workerRuns: [],
    workerRowsKept: 0,
    txRows: [],
    rawAtTxMs: [],
    cappedAtTxMs: [],
    inlineMs: [],
    inlineFlushMs: { p50: 0, p99: 0, max: 0 },
    inlineRowsKept: 0,
    slackMs: [],
    slackRows: SLACK_ROWS,
    bigQueue: null,
  };
  for (let run = 0; run < runs; run++) {
    out.rawMs.push(inserter(`raw-${run}`, false, LOG_BATCH_SIZE));
    const wDir = freshDir(dataDir, `worker-${run}`);
    const w = await runWorker(wDir, script, logRows(n, threads, seed), n);
    out.workerMs.push(w.ms);
    out.workerRuns.push(w.s);
    out.workerRowsKept = count(wDir);
    const tx = Math.max(1, Math.round(w.s.txRows));
    out.txRows.push(tx);
    out.rawAtTxMs.push(inserter(`raw-tx-${run}`, false, tx));
    out.cappedAtTxMs.push(inserter(`capped-tx-${run}`, true, tx));
    if (run > 0) continue;
    // Notes, measured once: the writer on this thread (exact caps, then with slack); a larger queue.
    const flushes: number[] = [];
    out.inlineMs.push(await inline('inline', flushes, DEFAULT_LOG_CAPS));
    out.inlineFlushMs = spread(flushes);
    out.inlineRowsKept = count(join(dataDir, 'inline'));
    out.slackMs.push(await inline('slack', [], { ...DEFAULT_LOG_CAPS, slackRows: SLACK_ROWS }));
    const big = await runWorker(
      freshDir(dataDir, 'big-queue'),
      script,
      logRows(n, threads, seed),
      n,
      BIG_QUEUE,
    );
    out.bigQueue = { capacity: BIG_QUEUE, ms: big.ms, txRows: big.s.txRows, dropped: big.s.dropped };
  }
  return out;
}
