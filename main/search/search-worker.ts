// Worker-thread entry of the content indexer. Role `index` owns the search DB's write connection and
// starts one copy of itself with role `extract` that reads rollouts into documents (and checkpoints
// the WAL), so reading and FTS5 inserts run on two cores while the main event loop only answers
// queries.
// Runs from source in tests through Node's type stripping: it must import nothing bundler-only.
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { noYield } from '../core/time-slice.ts';
import { awaitWorkerExit } from '../core/worker-exit.ts';
import { openDatabase, type Db } from '../state/connection.ts';
import { readFileDocs, type ReadDocs } from './file-docs.ts';
import { attachState } from './search-files-repo.ts';
import { createSearchIndexer, type DocSource } from './search-indexer.ts';
import {
  packedTransfer,
  packFileDocs,
  unpackFileDocs,
  type ExtractJob,
  type ToExtractWorker,
  type ExtractJobResult,
  type FromSearchWorker,
  type SearchWorkerInit,
  type ToSearchWorker,
  EXTRACT_HELPER_LIMITS,
} from './search-protocol.ts';

const port = parentPort;
if (!port) throw new Error('search-worker must run as a worker thread');
const init = workerData as SearchWorkerInit;

/**
 * Reads files on a helper thread; enough bytes stay queued that it never waits for the writer, few
 * enough that their documents (a sixth of the rollout bytes or less) stay a small part of the heap.
 */
function helperSource(searchDbFile: string): DocSource {
  const helper = new Worker(new URL(import.meta.url), {
    workerData: { role: 'extract', searchDbFile } satisfies SearchWorkerInit,
    resourceLimits: EXTRACT_HELPER_LIMITS,
  });
  const pending = new Map<number, { resolve: (d: ReadDocs) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let outbox: ExtractJob[] = [];
  const flush = (): void => {
    helper.postMessage({ type: 'read', jobs: outbox } satisfies ToExtractWorker);
    outbox = [];
  };
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
    bytesInFlight: 32 * 1024 * 1024,
    read: (job) =>
      new Promise<ReadDocs>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        // Reads asked for in one turn go as one message: each message wakes the helper thread.
        if (outbox.length === 0) queueMicrotask(flush);
        outbox.push({ id, job });
      }),
    afterCommit: () => helper.postMessage({ type: 'checkpoint' } satisfies ToExtractWorker),
    close: async () => {
      // Asked, not terminated: the helper may be inside better-sqlite3 (see awaitWorkerExit).
      helper.postMessage({ type: 'close' } satisfies ToExtractWorker);
      await awaitWorkerExit(helper);
    },
  };
}

if (init.role === 'extract') {
  const file = init.searchDbFile;
  let walDb: Db | null = null;
  let reads = Promise.resolve();
  let closing = false;
  port.on('message', (msg: ToExtractWorker) => {
    if (msg.type === 'close') {
      // Reads still queued are dropped (the writer is closing); the one in progress ends first.
      closing = true;
      const leave = (): void => {
        walDb?.close();
        walDb = null;
        port.close();
      };
      reads.then(leave, leave);
      return;
    }
    if (closing) return;
    if (msg.type === 'checkpoint') {
      // The writer's commits leave their pages in the WAL; copying them into the database (and the
      // fsyncs) happens here, on the core the writer does not need, instead of inside its commits.
      try {
        if (!walDb) {
          walDb = openDatabase(file);
          walDb.pragma('mmap_size = 0');
          walDb.pragma('cache_size = -2000');
        }
        walDb.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Busy or failing: the writer's own auto-checkpoint still bounds the WAL.
      }
      return;
    }
    // One file at a time, in order: the writer consumes them in order, and files read side by side
    // would each hold a read buffer.
    reads = reads.then(async () => {
      for (const { id, job } of msg.jobs) {
        if (closing) return;
        try {
          const docs = packFileDocs(await readFileDocs(job));
          port.postMessage({ id, ok: true, docs } satisfies ExtractJobResult, packedTransfer(docs));
        } catch (err) {
          port.postMessage({
            id,
            ok: false,
            message: (err as Error).message ?? String(err),
          } satisfies ExtractJobResult);
        }
      }
    });
  });
} else {
  const send = (msg: FromSearchWorker): void => port.postMessage(msg);
  const db = openDatabase(init.searchDbFile);
  // The helper thread checkpoints after each commit (see afterCommit); this bound only applies if it
  // falls behind. Pages are read through a small page cache, not mapped: a mapping of the index file
  // would count the pages it touches (most of the index while it is built) towards resident memory.
  db.pragma('wal_autocheckpoint = 32768');
  db.pragma('mmap_size = 0');
  db.pragma('cache_size = -8000');
  attachState(db, init.stateDbFile);
  const indexer = createSearchIndexer({
    db,
    slicer: noYield,
    source: helperSource(init.searchDbFile),
    bytesPerCommit: init.bytesPerCommit ?? 256 * 1024 * 1024,
    ownsConnection: true,
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
    else {
      // The thread leaves by itself once its connections are closed (see awaitWorkerExit).
      const closed = indexer.close().finally(() => db.close());
      answer(
        msg.id,
        closed.then(() => null),
      );
      const leave = (): void => void setImmediate(() => port.close());
      closed.then(leave, leave);
    }
  });
}
