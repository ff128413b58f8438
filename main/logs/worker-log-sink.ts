import { Worker } from 'node:worker_threads';
import { awaitWorkerExit } from '../core/worker-exit.ts';
import type { LogRow } from './log-entry.ts';
import type { LogSink } from './log-sink.ts';
import type { FromLogsWorker, LogsWorkerInit, ToLogsWorker } from './logs-worker-protocol.ts';

export interface WorkerLogSinkOptions {
  /** After each commit on the worker, with the table's new max id (live tail). */
  onCommit?: (maxId: number) => void;
  /** A failed transaction or a dead worker. */
  onError?: (err: Error) => void;
}

/**
 * A LogSink that hands batches to logs-worker: the main thread only clones the batch. Rows stay
 * `inFlight` until the worker reports their transaction; a failed transaction (or a worker that died
 * with batches in flight) turns into lost rows, which the writer counts and reports.
 */
export function workerLogSink(script: URL, init: LogsWorkerInit, o: WorkerLogSinkOptions = {}): LogSink {
  const batches = new Map<number, { rows: number; carried: number }>();
  const waiters = new Map<number, () => void>();
  let inFlight = 0;
  let lost = 0;
  let seq = 0;
  let nextId = 1;
  let dead: Error | null = null;

  const worker = new Worker(script, { workerData: init });
  worker.unref();
  const send = (m: ToLogsWorker): void => worker.postMessage(m);
  const lose = (s: number): void => {
    const b = batches.get(s);
    if (!b) return;
    batches.delete(s);
    inFlight -= b.rows;
    lost += b.rows - (b.carried > 0 ? 1 : 0) + b.carried;
  };
  worker.on('message', (m: FromLogsWorker) => {
    if (m.type === 'written') {
      for (const s of m.failed) lose(s);
      for (const [s, b] of batches) {
        if (s > m.seq) break;
        batches.delete(s);
        inFlight -= b.rows;
      }
      if (m.error) o.onError?.(new Error(`writing logs failed: ${m.error}`));
      else o.onCommit?.(m.maxId);
    } else if (m.type === 'settled') {
      waiters.get(m.id)?.();
      waiters.delete(m.id);
    }
  });
  const died = (err: Error): void => {
    dead ??= err;
    for (const s of [...batches.keys()]) lose(s);
    for (const w of waiters.values()) w();
    waiters.clear();
    o.onError?.(err);
  };
  worker.on('error', died);
  worker.on('exit', (code) => {
    if (!dead) died(new Error(`the logs worker exited (code ${code})`));
  });

  const call = (type: 'settle' | 'close'): Promise<void> => {
    if (dead) return Promise.resolve();
    const id = nextId++;
    return new Promise<void>((resolve) => {
      waiters.set(id, resolve);
      send({ type, id });
    });
  };

  return {
    write(rows: LogRow[], carried = 0) {
      if (dead) throw dead;
      seq++;
      batches.set(seq, { rows: rows.length, carried });
      inFlight += rows.length;
      send({ type: 'rows', seq, rows });
    },
    get inFlight() {
      return inFlight;
    },
    takeLost() {
      const n = lost;
      lost = 0;
      return n;
    },
    settle: () => call('settle'),
    async close() {
      await call('close');
      dead ??= new Error('the logs writer is closed');
      // The worker closed its connection and its port after 'settled': it leaves by itself.
      await awaitWorkerExit(worker);
    },
  };
}
