import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../state/connection.ts';
import { applyLogRetention } from './log-caps.ts';
import type { LogRow } from './log-entry.ts';
import { LogInserter } from './log-inserter.ts';
import type { FromLogsWorker, LogsWorkerInit, ToLogsWorker } from './logs-worker-protocol.ts';

/**
 * Owns the logs DB's write connection off the main thread. Batches that arrive while a transaction
 * runs are merged into the next one (up to `maxTxRows`): a burst costs a few large commits instead of
 * many small ones, and the caps are still enforced in every transaction (seed §4.4).
 */
const init = workerData as LogsWorkerInit;
const port = parentPort;
if (!port) throw new Error('logs-worker must run as a worker thread');
const db = openDatabase(init.dbFile);
if (init.retentionDays !== null) applyLogRetention(db, init.retentionDays);
const inserter = new LogInserter(db, init.caps);
const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM logs').pluck();
const post = (m: FromLogsWorker): void => port.postMessage(m);

let pending: { seq: number; rows: LogRow[] }[] = [];
let scheduled = false;

function drain(): void {
  while (pending.length > 0) {
    const tx: typeof pending = [];
    let n = 0;
    while (pending.length > 0 && (tx.length === 0 || n + (pending[0]?.rows.length ?? 0) <= init.maxTxRows)) {
      const b = pending.shift();
      if (!b) break;
      tx.push(b);
      n += b.rows.length;
    }
    const rows = tx.length === 1 ? (tx[0]?.rows ?? []) : tx.flatMap((b) => b.rows);
    const seq = tx.at(-1)?.seq ?? 0;
    try {
      inserter.insert(rows);
      post({ type: 'written', seq, rows: n, failed: [], maxId: maxId.get() as number, error: null });
    } catch (err) {
      const failed = tx.map((b) => b.seq);
      post({ type: 'written', seq, rows: n, failed, maxId: 0, error: (err as Error).message });
    }
  }
}

port.on('message', (m: ToLogsWorker) => {
  if (m.type === 'rows') {
    pending.push({ seq: m.seq, rows: m.rows });
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        drain();
      });
    }
    return;
  }
  drain();
  if (m.type === 'settle') post({ type: 'settled', id: m.id });
  else {
    pending = [];
    db.close();
    post({ type: 'settled', id: m.id });
    port.close();
  }
});
post({ type: 'ready' });
