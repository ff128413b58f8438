// Worker-thread entry of the content indexer. Role `index` owns the search DB's write connection and
// starts one copy of itself with role `extract` that reads rollouts into documents, so reading and
// FTS5 inserts run on two cores while the main event loop only answers queries.
// Runs from source in tests through Node's type stripping: it must import nothing bundler-only.
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { noYield } from '../core/time-slice.ts';
import { openDatabase } from '../state/connection.ts';
import { readFileDocs, type ReadDocs } from './file-docs.ts';
import { attachState } from './search-files-repo.ts';
import { createSearchIndexer, type DocSource } from './search-indexer.ts';
import {
  packFileDocs,
  unpackFileDocs,
  type ExtractJobMessage,
  type ExtractJobResult,
  type FromSearchWorker,
  type SearchWorkerInit,
  type ToSearchWorker,
} from './search-protocol.ts';

const port = parentPort;
if (!port) throw new Error('search-worker must run as a worker thread');
const init = workerData as SearchWorkerInit;

/** Reads files on a helper thread; several jobs stay queued so it never waits for the writer. */
function helperSource(): DocSource {
  const helper = new Worker(new URL(import.meta.url), {
    workerData: { role: 'extract' } satisfies SearchWorkerInit,
  });
  const pending = new Map<number, { resolve: (d: ReadDocs) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const failAll = (why: string): void => {
    for (const p of pending.values()) p.reject(new Error(`search extract worker stopped: ${why}`));
    pending.clear();
  };
  helper.on('message', (msg: ExtractJobResult) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(unpackFileDocs(msg.docs));
    else p.reject(new Error(msg.message));
  });
  helper.on('error', (err) => failAll(err.message));
  helper.on('exit', (code) => failAll(`exit code ${code}`));
  return {
    concurrency: 4096,
    bytesInFlight: 160 * 1024 * 1024,
    read: (job) =>
      new Promise<ReadDocs>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        helper.postMessage({ id, job } satisfies ExtractJobMessage);
      }),
    close: async () => {
      await helper.terminate();
    },
  };
}

if (init.role === 'extract') {
  port.on('message', (msg: ExtractJobMessage) => {
    readFileDocs(msg.job).then(
      (docs) =>
        port.postMessage({ id: msg.id, ok: true, docs: packFileDocs(docs) } satisfies ExtractJobResult),
      (err: unknown) =>
        port.postMessage({
          id: msg.id,
          ok: false,
          message: (err as Error).message ?? String(err),
        } satisfies ExtractJobResult),
    );
  });
} else {
  const send = (msg: FromSearchWorker): void => port.postMessage(msg);
  const db = openDatabase(init.searchDbFile);
  db.pragma('wal_autocheckpoint = 4000');
  attachState(db, init.stateDbFile);
  const indexer = createSearchIndexer({
    db,
    slicer: noYield,
    source: helperSource(),
    docsPerCommit: init.docsPerCommit ?? 50_000,
    onProgress: (payload) => send({ type: 'progress', payload }),
  });
  const answer = (id: number, run: Promise<unknown>): void => {
    run.then(
      (summary) => send({ type: 'done', id, summary: (summary ?? null) as never }),
      (err: unknown) => send({ type: 'failed', id, message: (err as Error).message ?? String(err) }),
    );
  };
  port.on('message', (msg: ToSearchWorker) => {
    if (msg.type === 'sync') answer(msg.id, indexer.sync());
    else
      answer(
        msg.id,
        indexer.close().then(() => {
          db.close();
          return null;
        }),
      );
  });
}
