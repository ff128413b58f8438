// node main/test-support/crash-child.ts log-burst <logs db> <built logs-worker.js> <rows> <maxRows> <maxBytes>
// A child for main/hardening/crash-consistency.test.ts, run with plain Node 24 (type stripping), so it
// imports nothing bundler-only: the logs DB is created and migrated by the test, the writes go through
// the built logs worker exactly as the app's own logger sends them (LogWriter → workerLogSink). It logs
// `rows` rows as fast as the writer's bounded queue takes them, spread over 20 thread partitions and the
// process's threadless one, prints `committed <max id>` after every commit and `done` at the end; the
// test SIGKILLs it mid-way.
import { pathToFileURL } from 'node:url';
import { LogWriter } from '../logs/log-writer.ts';
import { LOG_WORKER_MAX_TX_ROWS } from '../logs/logs-worker-protocol.ts';
import { workerLogSink } from '../logs/worker-log-sink.ts';

const [mode, dbFile, workerJs, rowsArg, maxRowsArg, maxBytesArg] = process.argv.slice(2);
if (mode !== 'log-burst' || !dbFile || !workerJs) {
  process.stderr.write('usage: crash-child.ts log-burst <db> <worker.js> <rows> <maxRows> <maxBytes>\n');
  process.exit(2);
}
const rows = Number(rowsArg);
const caps = { maxRows: Number(maxRowsArg), maxBytes: Number(maxBytesArg) };
const CAPACITY = 4096;

const sink = workerLogSink(
  pathToFileURL(workerJs),
  { dbFile, caps, maxTxRows: LOG_WORKER_MAX_TX_ROWS, retentionDays: null },
  {
    onCommit: (maxId) => process.stdout.write(`committed ${maxId}\n`),
    onError: (err) => process.stderr.write(`${err.message}\n`),
  },
);
const writer = new LogWriter(sink, { capacity: CAPACITY, flushIntervalMs: 50 });
const threads = Array.from(
  { length: 20 },
  (_, i) => `0199a000-0000-7000-8000-${String(i).padStart(12, '0')}`,
);
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

for (let i = 0; i < rows; i++) {
  // Back-pressure instead of drops: wait while the queue plus the rows in flight fill the capacity.
  while (writer.queuedCount + sink.inFlight >= CAPACITY - 1)
    await new Promise((resolve) => setTimeout(resolve, 1));
  writer.log({
    level: LEVELS[i % LEVELS.length] ?? 'INFO',
    target: 'threadscope::crash',
    message: `burst row ${i}: ${'payload '.repeat(5 + (i % 40))}`,
    modulePath: 'main/test-support/crash-child.ts',
    file: 'main/test-support/crash-child.ts',
    line: 40 + (i % 7),
    threadId: i % 21 === 20 ? null : (threads[i % 21] ?? null),
  });
}
await writer.close();
process.stdout.write(`done ${writer.droppedCount}\n`);
