import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { awaitWorkerExit } from './worker-exit.ts';

const evalWorker = (code: string): Worker => new Worker(code, { eval: true });

describe('awaitWorkerExit', () => {
  it('lets a worker that closes its port leave by itself, running its cleanup', async () => {
    const w = evalWorker(`
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', () => {
        parentPort.postMessage('cleaned up');
        parentPort.close();
      });
    `);
    const said: unknown[] = [];
    w.on('message', (m) => said.push(m));
    w.postMessage('close');
    expect(await awaitWorkerExit(w, 5_000)).toBe('exited');
    expect(said).toEqual(['cleaned up']);
    expect(w.threadId).toBe(-1);
  });

  it('answers at once for a worker that has already exited', async () => {
    const w = evalWorker('');
    await once(w, 'exit');
    expect(await awaitWorkerExit(w, 5_000)).toBe('exited');
  });

  it('terminates a worker that does not leave within the grace period', async () => {
    const w = evalWorker(`
      const { parentPort } = require('node:worker_threads');
      parentPort.postMessage('busy');
      for (;;) {}
    `);
    await once(w, 'message');
    expect(await awaitWorkerExit(w, 50)).toBe('terminated');
    expect(w.threadId).toBe(-1);
  });
});
