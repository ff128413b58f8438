import type { Worker } from 'node:worker_threads';

/** How long a worker that was asked to close gets to close its databases and leave by itself. */
export const WORKER_EXIT_GRACE_MS = 10_000;

/**
 * Waits for a worker thread that was told to close to end on its own, and terminates it only if it
 * has not after `graceMs`. `worker.terminate()` stops JavaScript, not native code: a worker stopped
 * while inside better-sqlite3 (opening a connection, loading the addon, a statement) can abort the
 * whole process (`FATAL ERROR: Error::New napi_get_last_error_info`, seen in CI). So every worker
 * that holds a database closes it, closes its port and leaves; terminate is the last resort for one
 * that hangs. Resolves with how it ended.
 */
export function awaitWorkerExit(
  worker: Worker,
  graceMs = WORKER_EXIT_GRACE_MS,
): Promise<'exited' | 'terminated'> {
  // threadId turns -1 once the thread has exited.
  if (worker.threadId === -1) return Promise.resolve('exited');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.off('exit', onExit);
      void worker.terminate().then(() => resolve('terminated'));
    }, graceMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve('exited');
    };
    worker.once('exit', onExit);
  });
}
