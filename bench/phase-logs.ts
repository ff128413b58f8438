import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LOG_CAPS, type LogCaps } from '../main/logs/log-caps.ts';
import { toLogRow, type LogLevel, type LogRow } from '../main/logs/log-entry.ts';
import { LogWriter, LOG_BATCH_SIZE } from '../main/logs/log-writer.ts';
import { LogInserter } from '../main/logs/log-inserter.ts';
import { openLogsDb } from '../main/logs/logs-db.ts';
import { percentile } from './stats.ts';

export interface LogsInput {
  dataDir: string;
  rows: number;
  threads: number;
  runs: number;
  seed: number;
}

export interface LogsOutput {
  rows: number;
  threads: number;
  threadless: number;
  avgRowBytes: number;
  /** Raw batched inserts (128 rows per transaction, same schema and indexes, no caps), ms per run. */
  rawMs: number[];
  /** The LogWriter with caps enforced (rows logged, 128-row batches, flush), ms per run. */
  writerMs: number[];
  /** The writer with row-cap hysteresis (`slackRows`), ms per run: not the seed's exact caps. */
  writerSlackMs: number[];
  slackRows: number;
  /** The inserter with caps on pre-built rows (no queue), ms per run. */
  cappedInsertMs: number[];
  /** Main-thread time of each writer flush of the last run. */
  flushP50Ms: number;
  flushP99Ms: number;
  flushMaxMs: number;
  rowsKept: number;
}

const SLACK_ROWS = 100;
const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR'];
const WORDS = ['turn', 'tool', 'exec', 'patch', 'stream', 'rollout', 'session', 'token', 'sandbox', 'mcp'];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** ~375-byte rows (perf.md): 85% across `threads` threads, the rest threadless (this process / none). */
function makeRows(n: number, threads: number, seed: number): LogRow[] {
  const rand = rng(seed);
  const process = `pid:${globalThis.process.pid}:bench`;
  const start = 1_800_000_000;
  return Array.from({ length: n }, (_, i) => {
    const r = rand();
    const threadId =
      r < 0.85 ? `0199a000-0000-7000-8000-${String(Math.floor(rand() * threads)).padStart(12, '0')}` : null;
    const words = Array.from({ length: 28 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
    return toLogRow({
      ts: start + Math.floor(i / 1_000),
      tsNanos: (i % 1_000) * 1_000_000,
      level: LEVELS[i % LEVELS.length] ?? 'INFO',
      target: 'codex_core::exec',
      message: `event ${i}: ${words}`,
      modulePath: 'main/ingest/rollout-ingest',
      file: 'main/ingest/rollout-ingest.ts',
      line: 100 + (i % 300),
      threadId,
      processUuid: r > 0.97 ? null : process,
    });
  });
}

function freshDir(base: string, name: string): string {
  const dir = join(base, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

function runRaw(dir: string, rows: LogRow[], caps: boolean): number {
  const db = openLogsDb(dir);
  const ins = new LogInserter(db, caps ? undefined : null);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += LOG_BATCH_SIZE) ins.insert(rows.slice(i, i + LOG_BATCH_SIZE));
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

async function runWriter(
  dir: string,
  rows: LogRow[],
  flushes: number[],
  caps: LogCaps = DEFAULT_LOG_CAPS,
): Promise<{ ms: number; kept: number }> {
  const db = openLogsDb(dir);
  const writer = new LogWriter(db, { flushIntervalMs: 0, processUuid: `pid:${process.pid}:bench`, caps });
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += LOG_BATCH_SIZE) {
    for (const r of rows.slice(i, i + LOG_BATCH_SIZE))
      writer.log({
        ts: r.ts,
        tsNanos: r.tsNanos,
        level: r.level as LogLevel,
        target: r.target,
        message: r.message,
        modulePath: r.modulePath,
        file: r.file,
        line: r.line,
        threadId: r.threadId,
        ...(r.processUuid === null ? { processUuid: null } : {}),
      });
    const f0 = performance.now();
    await writer.flush();
    flushes.push(performance.now() - f0);
  }
  await writer.close();
  const ms = performance.now() - t0;
  const kept = (db.prepare('SELECT count(*) AS n FROM logs').get() as { n: number }).n;
  db.close();
  return { ms, kept };
}

/**
 * Sustained log writing with the seed's caps (10 MiB / 1,000 rows per partition) against raw batched
 * inserts with the same schema and indexes into an identical fresh DB, alternated run by run.
 */
export async function logsPhase({ dataDir, rows: n, threads, runs, seed }: LogsInput): Promise<LogsOutput> {
  const rows = makeRows(n, threads, seed);
  const out: LogsOutput = {
    rows: n,
    threads,
    threadless: rows.filter((r) => r.threadId === null).length,
    avgRowBytes: rows.reduce((s, r) => s + r.estimatedBytes, 0) / n,
    rawMs: [],
    writerMs: [],
    cappedInsertMs: [],
    writerSlackMs: [],
    slackRows: SLACK_ROWS,
    flushP50Ms: 0,
    flushP99Ms: 0,
    flushMaxMs: 0,
    rowsKept: 0,
  };
  for (let run = 0; run < runs; run++) {
    out.rawMs.push(runRaw(freshDir(dataDir, `raw-${run}`), rows, false));
    const flushes: number[] = [];
    const w = await runWriter(freshDir(dataDir, `writer-${run}`), rows, flushes);
    out.writerMs.push(w.ms);
    out.rowsKept = w.kept;
    out.flushP50Ms = percentile(flushes, 50);
    out.flushP99Ms = percentile(flushes, 99);
    out.flushMaxMs = Math.max(...flushes);
    out.cappedInsertMs.push(runRaw(freshDir(dataDir, `capped-${run}`), rows, true));
    const slack = { ...DEFAULT_LOG_CAPS, slackRows: SLACK_ROWS };
    out.writerSlackMs.push((await runWriter(freshDir(dataDir, `slack-${run}`), rows, [], slack)).ms);
  }
  return out;
}
