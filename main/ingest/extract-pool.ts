import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Slicer } from '../core/time-slice.ts';
import { extractRollout } from '../rollouts/extract-metadata.ts';
import type { ExtractRequest, ExtractResponse } from '../rollouts/extract-protocol.ts';
import { packResult, type PackedExtractResult } from '../rollouts/packed-state.ts';
import type { ExtractOptions } from '../rollouts/types.ts';

/** Extract threads with nothing to do for this long are stopped (restarted on the next request). */
export const EXTRACT_IDLE_MS = 30_000;

/** An extraction plus the file's size and mtime as they were just before it was read. */
export type PooledExtract = PackedExtractResult & { size: number; mtimeMs: number };

export interface ExtractPool {
  extract(path: string, opts: ExtractOptions): Promise<PooledExtract>;
  /** How many extractions may usefully be in flight at once. */
  readonly concurrency: number;
  /** Start any threads now, ahead of a run known to read many files (otherwise on first use). */
  warm(): void;
  /** Extract threads currently running (0 for inline extraction). */
  liveThreads(): number;
  /** Stops the threads now if nothing is in flight (after a large run; they restart on demand). */
  trim(): void;
  close(): Promise<void>;
}

interface Pending {
  resolve: (r: PooledExtract) => void;
  reject: (e: Error) => void;
  worker: Worker;
}

/** Extraction on the calling thread, time-sliced: for the CLI, tests, and when no worker script exists. */
export function inlineExtractPool(slicer: Slicer): ExtractPool {
  return {
    concurrency: 1,
    extract: async (path, opts) => {
      const st = statSync(path);
      return { ...packResult(await extractRollout(path, opts, slicer)), size: st.size, mtimeMs: st.mtimeMs };
    },
    warm: () => {},
    liveThreads: () => 0,
    trim: () => {},
    close: async () => {},
  };
}

/**
 * A few worker threads reading and folding rollouts in parallel, so a cold backfill of gigabytes
 * uses every core and the main thread only commits rows. A worker that dies fails its in-flight
 * files (they become per-file problems) and is replaced.
 */
export function workerExtractPool(
  script: URL,
  size = Math.max(1, Math.min(4, availableParallelism())),
  idleMs = EXTRACT_IDLE_MS,
): ExtractPool {
  const pending = new Map<number, Pending>();
  const load = new Map<Worker, number>();
  let nextId = 1;
  let closed = false;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  // Idle workers are stopped: after a backfill they held ~100 MB of heap each through the content
  // index build that follows. The watcher's occasional file respawns one on demand.
  const trim = (): void => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (pending.size > 0 || closed) return;
    const workers = [...load.keys()];
    load.clear();
    for (const w of workers) void w.terminate();
  };
  const stopWhenIdle = (): void => {
    if (pending.size > 0 || closed || idleTimer) return;
    idleTimer = setTimeout(trim, idleMs);
    idleTimer.unref();
  };

  const spawn = (): Worker => {
    const w = new Worker(script);
    w.unref();
    load.set(w, 0);
    w.on('message', (msg: ExtractResponse) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      load.set(w, (load.get(w) ?? 1) - 1);
      if (pending.size === 0) stopWhenIdle();
      if (msg.ok) {
        p.resolve({ ...(JSON.parse(msg.json) as PackedExtractResult), size: msg.size, mtimeMs: msg.mtimeMs });
      } else {
        p.reject(Object.assign(new Error(msg.message), msg.code ? { code: msg.code } : {}));
      }
    });
    const fail = (why: string): void => {
      load.delete(w);
      for (const [id, p] of pending) {
        if (p.worker !== w) continue;
        pending.delete(id);
        p.reject(new Error(`extract worker stopped: ${why}`));
      }
      if (!closed) spawn();
    };
    w.on('error', (err) => fail(err.message));
    w.on('exit', (code) => {
      if (load.has(w)) fail(`exit code ${code}`);
    });
    return w;
  };
  // Started on demand: a re-scan that reads nothing never pays for booting them (two bundle loads
  // competing with the scan for the cores); a backfill warms them up while discovery runs.
  const warm = (): void => {
    for (let i = load.size; i < size && !closed; i++) spawn();
  };

  return {
    // Deep enough that workers stay busy while the consumer is inside a commit.
    concurrency: size * 256,
    extract(path, opts) {
      if (closed) return Promise.reject(new Error('extract pool is closed'));
      if (idleTimer) {
        clearTimeout(idleTimer);
        idleTimer = null;
      }
      warm();
      let best: Worker | null = null;
      for (const [w, n] of load) if (!best || n < (load.get(best) ?? 0)) best = w;
      const worker = best ?? spawn();
      const id = nextId++;
      load.set(worker, (load.get(worker) ?? 0) + 1);
      return new Promise<PooledExtract>((resolve, reject) => {
        pending.set(id, { resolve, reject, worker });
        worker.postMessage({ id, path, opts } satisfies ExtractRequest);
      });
    },
    warm,
    liveThreads: () => load.size,
    trim,
    async close() {
      closed = true;
      if (idleTimer) clearTimeout(idleTimer);
      const workers = [...load.keys()];
      load.clear();
      await Promise.all(workers.map((w) => w.terminate()));
      for (const p of pending.values()) p.reject(new Error('extract pool closed'));
      pending.clear();
    },
  };
}
