// Worker-thread entry: extracts rollout metadata off the main thread. Built as its own bundle entry
// (out/main/extract-worker.js); in tests it runs from source through Node's type stripping, so it
// imports nothing that needs the bundler.
import { statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { extractRollout } from './extract-metadata.ts';
import type { ExtractRequest, ExtractResponse } from './extract-protocol.ts';
import { packResult } from './packed-state.ts';

const port = parentPort;
if (!port) throw new Error('extract-worker must run as a worker thread');

port.on('message', (req: ExtractRequest) => {
  const stamp = { size: -1, mtimeMs: -1 };
  Promise.resolve()
    .then(() => {
      const st = statSync(req.path);
      stamp.size = st.size;
      stamp.mtimeMs = st.mtimeMs;
      return extractRollout(req.path, req.opts);
    })
    .then(
      // A JSON string clones as one memcpy; cloning the object graph cost ~20 µs per file on both threads.
      (result) =>
        port.postMessage({
          id: req.id,
          ok: true,
          json: JSON.stringify(packResult(result)),
          ...stamp,
        } satisfies ExtractResponse),
      (err: unknown) => {
        const e = err as { message?: string; code?: string };
        port.postMessage({
          id: req.id,
          ok: false,
          message: e.message ?? String(err),
          code: typeof e.code === 'string' ? e.code : null,
        } satisfies ExtractResponse);
      },
    );
});
