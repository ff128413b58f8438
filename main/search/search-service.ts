import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SearchProgress } from '../../preload/contract/search.ts';
import type { Slicer } from '../core/time-slice.ts';
import { awaitWorkerExit } from '../core/worker-exit.ts';
import type { Db } from '../state/connection.ts';
import { openSearchDb, searchDbFileName } from './search-db.ts';
import { createSearchFilesRepo } from './search-files-repo.ts';
import { createSearchIndexer, type SyncSummary } from './search-indexer.ts';
import {
  SEARCH_WORKER_LIMITS,
  type FromSearchWorker,
  type SearchWorkerInit,
  type ToSearchWorker,
} from './search-protocol.ts';

export interface SearchServiceOptions {
  dataDir: string;
  stateDbFile: string;
  /** Built search-worker script; null indexes on this thread, time-sliced (tests, from source). */
  worker: URL | null;
  slicer: Slicer;
  onProgress: (p: SearchProgress) => void;
  log: (message: string) => void;
  /** Quiet time after a change before the index catches up (default 500 ms). */
  debounceMs?: number;
}

export interface SearchService {
  /** This thread's connection to the search DB (queries), with the state DB attached. */
  readonly db: Db;
  /** Ask for the index to catch up with the state DB; coalesces bursts. No-op until `enable()`. */
  requestSync(): void;
  /** Starts indexing (called once the metadata backfill is done) and runs a first sync. */
  enable(): void;
  /** Runs a sync now and resolves with its summary (tests, benchmarks). */
  syncNow(): Promise<SyncSummary | null>;
  progress(): SearchProgress;
  /** Resolves when no sync is running or scheduled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The content index's lifecycle: one search DB (`<data dir>/search_1.sqlite`) migrated here, written
 * by the indexer (on the search worker when built), read by this thread's connection for queries.
 */
export function createSearchService(o: SearchServiceOptions): SearchService {
  const db = openSearchDb(o.dataDir, o.stateDbFile);
  // Coverage joins every indexed file with the state DB (~10 ms at 20k files): computed when first asked
  // for, not synchronously while the app core is being created.
  let progress: SearchProgress | null = null;
  const current = (): SearchProgress =>
    (progress ??= { state: 'idle', ...createSearchFilesRepo(db).coverage() });
  const emit = (p: SearchProgress): void => {
    progress = p;
    o.onProgress(p);
  };
  const runSync = o.worker ? workerRunner(o, emit) : inlineRunner(db, o.slicer, emit);

  let enabled = false;
  let closed = false;
  let running: Promise<SyncSummary | null> | null = null;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const start = (): Promise<SyncSummary | null> => {
    if (running) {
      again = true;
      return running;
    }
    const run = runSync
      .sync()
      .catch((err: unknown) => {
        o.log(`[threadscope] search index sync failed: ${(err as Error).message ?? String(err)}`);
        return null;
      })
      .finally(() => {
        running = null;
        if (again && !closed) {
          again = false;
          void start();
        }
      });
    running = run;
    return run;
  };

  return {
    db,
    requestSync() {
      if (!enabled || closed || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void start();
      }, o.debounceMs ?? 500);
    },
    enable() {
      if (enabled || closed) return;
      enabled = true;
      void start();
    },
    async syncNow() {
      if (closed) return null;
      // One in flight may have planned its files before the caller's change: wait, then run anew.
      if (running) await running;
      return running ?? start();
    },
    progress: current,
    async idle() {
      while (running || timer || again) {
        if (timer) {
          clearTimeout(timer);
          timer = null;
          void start();
        }
        await running;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      // Stops a running sync after its current batch first: quitting never waits for a whole build.
      await runSync.close();
      await running;
      db.close();
    },
  };
}

interface Runner {
  sync(): Promise<SyncSummary | null>;
  close(): Promise<void>;
}

function inlineRunner(db: Db, slicer: Slicer, emit: (p: SearchProgress) => void): Runner {
  const indexer = createSearchIndexer({ db, slicer, onProgress: emit });
  return { sync: () => indexer.sync(), close: () => indexer.close() };
}

function workerRunner(o: SearchServiceOptions, emit: (p: SearchProgress) => void): Runner {
  const pending = new Map<number, { resolve: (s: SyncSummary | null) => void; reject: (e: Error) => void }>();
  let worker: Worker | null = null;
  let nextId = 1;
  const init: SearchWorkerInit = {
    role: 'index',
    searchDbFile: join(o.dataDir, searchDbFileName),
    stateDbFile: o.stateDbFile,
  };
  const spawn = (): Worker => {
    const w = new Worker(o.worker as URL, {
      workerData: init,
      resourceLimits: SEARCH_WORKER_LIMITS,
    });
    w.on('message', (msg: FromSearchWorker) => {
      if (msg.type === 'progress') return emit(msg.payload);
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.type === 'done') p.resolve(msg.summary);
      else p.reject(new Error(msg.message));
    });
    const died = (why: string): void => {
      if (worker === w) worker = null;
      for (const p of pending.values()) p.reject(new Error(`search worker stopped: ${why}`));
      pending.clear();
    };
    w.on('error', (err) => died(err.message));
    w.on('exit', (code) => died(`exit code ${code}`));
    return w;
  };
  const request = (type: ToSearchWorker['type']): Promise<SyncSummary | null> => {
    worker ??= spawn();
    const w = worker;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ type, id } satisfies ToSearchWorker);
    });
  };
  return {
    sync: () => request('sync'),
    async close() {
      if (!worker) return;
      const w = worker;
      await request('close').catch(() => undefined);
      await awaitWorkerExit(w);
      worker = null;
    },
  };
}
