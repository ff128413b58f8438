// Worker-thread entry that owns ingestion writes: discovery, extraction (with one helper extract
// worker when built) and the batched commits run here on their own connection, so neither parsing
// nor SQLite commits and checkpoints (fsync stalls of tens of ms) ever block the main event loop.
// Runs from source in tests through Node's type stripping: it must import nothing bundler-only.
import { parentPort, workerData } from 'node:worker_threads';
import { noYield } from '../core/time-slice.ts';
import { openDatabase } from '../state/connection.ts';
import { inlineExtractPool, workerExtractPool } from './extract-pool.ts';
import type { EventSink } from './ingest-api.ts';
import type { FromIngestWorker, IngestWorkerInit, ToIngestWorker } from './ingest-protocol.ts';
import { createIngestService } from './ingest-service.ts';

const port = parentPort;
if (!port) throw new Error('ingest-worker must run as a worker thread');
const init = workerData as IngestWorkerInit;
const send = (msg: FromIngestWorker): void => port.postMessage(msg);

const db = openDatabase(init.dbFile);
// Nobody waits on this thread, so let the WAL grow to 16 MiB between checkpoints: fewer fsyncs and
// fewer rewrites of hot index pages during a backfill.
db.pragma('wal_autocheckpoint = 4000');

const sink: EventSink = {
  emit: (name: 'ingest:progress' | 'threads:changed', payload: unknown) =>
    send({ type: 'event', name, payload } as FromIngestWorker),
};
// The memories pollution rule as of the newest run request (settings stay on the main thread).
let pollutionRule = false;
const service = createIngestService({
  db,
  codexHome: init.codexHome,
  defaultProvider: init.defaultProvider,
  slicer: noYield,
  pool: init.extractWorker ? workerExtractPool(new URL(init.extractWorker)) : inlineExtractPool(noYield),
  bus: sink,
  batchesPerCommit: 5,
  pollutionRule: () => pollutionRule,
  ...(init.backfillLeaseSeconds !== undefined ? { backfillLeaseSeconds: init.backfillLeaseSeconds } : {}),
});

const answer = (id: number, run: Promise<unknown>): Promise<void> =>
  run.then(
    (summary) => send({ type: 'done', id, summary: (summary ?? null) as never }),
    (err: unknown) => {
      const e = err as { message?: string; code?: unknown };
      send({
        type: 'failed',
        id,
        message: e.message ?? String(err),
        code: typeof e.code === 'string' ? e.code : null,
      });
    },
  );

port.on('message', (msg: ToIngestWorker) => {
  switch (msg.type) {
    case 'scanAll':
      pollutionRule = msg.pollutionRule;
      void answer(msg.id, service.scanAll());
      break;
    case 'scanPaths':
      pollutionRule = msg.pollutionRule;
      void answer(msg.id, service.scanPaths(msg.paths, { force: msg.force === true }));
      break;
    case 'moveRollout':
      void answer(msg.id, service.moveRollout(msg.move));
      break;
    case 'patchGitInfo':
      void answer(msg.id, service.patchGitInfo(msg.patch));
      break;
    case 'setWatching':
      service.setWatching(msg.on);
      break;
    case 'close':
      // The thread leaves by itself once its connection is closed (see awaitWorkerExit).
      void answer(
        msg.id,
        service.close().finally(() => db.close()),
      ).finally(() => port.close());
      break;
  }
});
send({ type: 'ready' });
