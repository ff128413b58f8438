import { Worker } from 'node:worker_threads';
import {
  errorCodes,
  type ErrorCode,
  type IngestProgress,
  type IngestSummary,
} from '../../preload/contract/index.ts';
import { AppError } from '../core/app-error.ts';
import { awaitWorkerExit } from '../core/worker-exit.ts';
import { createBackfillRepo } from '../state/backfill-repo.ts';
import type { Db } from '../state/connection.ts';
import { createRolloutFileRepo } from '../state/rollout-file-repo.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { idleProgress, type EventSink, type IngestApi } from './ingest-api.ts';
import type { FromIngestWorker, IngestWorkerInit, ToIngestWorker } from './ingest-protocol.ts';

interface Pending {
  resolve: (value: IngestSummary | null) => void;
  reject: (err: Error) => void;
}

/**
 * IngestApi backed by ingest-worker: runs are forwarded to the worker, events re-emitted on this
 * thread's bus, and the read-only questions (counts, problems, backfill state) answered from this
 * thread's own connection. A worker that dies fails the runs in flight; the next run starts a new one.
 */
export function createWorkerIngest(
  script: URL,
  init: IngestWorkerInit,
  db: Db,
  bus: EventSink,
  /** Read here for each run and sent along (see pollutionRuleFromSettings); default off. */
  pollutionRule: () => boolean = () => false,
): IngestApi {
  const threads = createThreadRepo(db);
  const files = createRolloutFileRepo(db);
  const backfill = createBackfillRepo(db);
  const pending = new Map<number, Pending>();
  const inflight = new Set<Promise<unknown>>();
  let progress: IngestProgress = idleProgress();
  let watching = false;
  let nextId = 1;
  let worker: Worker | null = null;
  let closing = false;

  const start = (): Worker => {
    const w = new Worker(script, { workerData: init });
    w.on('message', (msg: FromIngestWorker) => {
      if (msg.type === 'event') {
        if (msg.name === 'ingest:progress') {
          progress = msg.payload;
          bus.emit('ingest:progress', msg.payload);
        } else {
          bus.emit('threads:changed', msg.payload);
        }
        return;
      }
      if (msg.type === 'ready') return;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.type === 'done') p.resolve(msg.summary);
      // An AppError thrown on the worker (CONFLICT, NOT_FOUND, …) reaches the caller as one.
      else if (msg.code && (errorCodes as readonly string[]).includes(msg.code))
        p.reject(new AppError(msg.code as ErrorCode, msg.message));
      else p.reject(Object.assign(new Error(msg.message), msg.code ? { code: msg.code } : {}));
    });
    const died = (why: string): void => {
      if (worker === w) worker = null;
      for (const p of pending.values()) p.reject(new Error(`ingest worker stopped: ${why}`));
      pending.clear();
    };
    w.on('error', (err) => died(err.message));
    w.on('exit', (code) => died(`exit code ${code}`));
    if (watching) w.postMessage({ type: 'setWatching', on: true } satisfies ToIngestWorker);
    return w;
  };

  const request = (msg: (id: number) => ToIngestWorker): Promise<IngestSummary | null> => {
    if (closing) return Promise.reject(new Error('ingest is shutting down'));
    worker ??= start();
    const id = nextId++;
    const w = worker;
    const run = new Promise<IngestSummary | null>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage(msg(id));
    });
    const tracked = run.catch(() => undefined).finally(() => inflight.delete(tracked));
    inflight.add(tracked);
    return run;
  };
  const summaryOf = async (p: Promise<IngestSummary | null>): Promise<IngestSummary> => {
    const s = await p;
    if (!s) throw new Error('ingest worker returned no summary');
    return s;
  };

  return {
    scanAll: () => summaryOf(request((id) => ({ type: 'scanAll', id, pollutionRule: pollutionRule() }))),
    scanPaths: (paths, opts) =>
      summaryOf(
        request((id) => ({
          type: 'scanPaths',
          id,
          paths,
          force: opts?.force === true,
          pollutionRule: pollutionRule(),
        })),
      ),
    moveRollout: async (move) => {
      await request((id) => ({ type: 'moveRollout', id, move }));
    },
    patchGitInfo: async (patch) => {
      await request((id) => ({ type: 'patchGitInfo', id, patch }));
    },
    progress: () => progress,
    setWatching(on) {
      watching = on;
      worker?.postMessage({ type: 'setWatching', on } satisfies ToIngestWorker);
    },
    backfillState: () => backfill.get(),
    problems: (limit) => files.problems(limit),
    problemCount: () => files.problemCount(),
    threadCount: () => threads.count(),
    async idle() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    async close() {
      if (!worker) {
        closing = true;
        return;
      }
      const w = worker;
      try {
        await request((id) => ({ type: 'close', id }));
      } catch {
        // A worker that already died has nothing left to flush.
      }
      closing = true;
      await awaitWorkerExit(w);
      worker = null;
    },
  };
}
