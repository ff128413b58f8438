import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logsMigrations } from '../migrations/index.ts';
import { estimateLogBytes, type LogLevel } from '../main/logs/log-entry.ts';
import { logsDbFileName } from '../main/logs/logs-db.ts';
import { migrate } from '../main/state/migrate.ts';
import { createRng, uuidV7 } from '../main/test-support/synthetic-rollouts.ts';

/** Bump when the generated rows change shape (the cache folder is named after it). */
const LOGS_CORPUS_VERSION = 2;
export const LOGS_SPAN_DAYS = 10;
/** The newest row's time: fixed, so a cached DB and a fresh one hold the same rows. */
export const LOGS_END_MS = Date.UTC(2026, 5, 10, 18);

/** ~20 targets (module path = target, as tracing records it), weighted like a busy Codex session. */
export const LOG_TARGETS: readonly { target: string; file: string; weight: number }[] = [
  ['codex_core::codex', 'core/src/codex.rs', 14],
  ['codex_core::client', 'core/src/client.rs', 12],
  ['codex_core::exec', 'core/src/exec.rs', 9],
  ['codex_core::tools::router', 'core/src/tools/router.rs', 8],
  ['codex_core::tools::handlers::shell', 'core/src/tools/handlers/shell.rs', 7],
  ['codex_core::tools::handlers::apply_patch', 'core/src/tools/handlers/apply_patch.rs', 3],
  ['codex_core::rollout::recorder', 'core/src/rollout/recorder.rs', 6],
  ['codex_core::codex::compact', 'core/src/codex/compact.rs', 1],
  ['codex_core::sandboxing', 'core/src/sandboxing/mod.rs', 3],
  ['codex_core::mcp_connection_manager', 'core/src/mcp_connection_manager.rs', 3],
  ['codex_mcp_client::mcp_client', 'mcp-client/src/mcp_client.rs', 2],
  ['rmcp::service', 'rmcp/src/service.rs', 2],
  ['codex_otel::otel_event_manager', 'otel/src/otel_event_manager.rs', 9],
  ['codex_tui::chatwidget', 'tui/src/chatwidget.rs', 4],
  ['codex_exec::event_processor', 'exec/src/event_processor.rs', 3],
  ['codex_app_server::message_processor', 'app-server/src/message_processor.rs', 5],
  ['codex_login::auth', 'login/src/auth.rs', 1],
  ['codex_core::config', 'core/src/config/mod.rs', 1],
  ['hyper_util::client::legacy::pool', 'hyper-util/src/client/legacy/pool.rs', 5],
  ['reqwest::connect', 'reqwest/src/connect.rs', 2],
].map(([target, file, weight]) => ({
  target: target as string,
  file: file as string,
  weight: weight as number,
}));

const PHRASES = [
  'ToolCall: shell',
  'ToolCall: apply_patch',
  'new turn started',
  'turn completed',
  'SSE event: response.output_text.delta',
  'SSE event: response.completed',
  'sampling request sent',
  'exec command finished',
  'rollout item recorded',
  'token usage updated',
  'mcp tool call',
  'connection pooled',
  'submission received',
  'approval requested',
  'context window compacted',
];
const PROBLEMS = [
  'stream disconnected - retrying sampling request',
  'exec command failed',
  'sandbox denied write',
  'rate limit reached, backing off',
  'mcp server exited unexpectedly',
  'failed to parse tool arguments',
];
/** Each word lands in ~1 message in 4 (12 to 35 draws from 79 words): the "common text" terms. */
export const LOG_VOCAB = (
  'stream turn tool exec patch rollout session token sandbox model request response cache query update ' +
  'record handler router schema option render ingest offset cursor page limit parser index value result ' +
  'thread client server buffer config default component import export function return await const error ' +
  'status output input delta usage budget window context prompt reasoning summary approval policy network ' +
  'process child signal timeout retry backoff header body chunk frame event queue flush commit writer ' +
  'reader worker shell bash python cargo'
).split(' ');
/** Words in ~1 row in 10,000 each (the "rare text" terms). */
export const LOG_RARE_WORDS = ['quokka', 'zeppelin', 'marzipan', 'fjord', 'kumquat', 'ocelot'];
const RARE_SHARE = 1e-4;
export const LOG_ABSENT_TEXT = 'no-such-phrase-zq';

export interface LogsCorpusInfo {
  dir: string;
  dbFile: string;
  rows: number;
  threads: number;
  processes: number;
  threadlessRows: number;
  bytes: number;
  generatedMs: number | null;
}

interface Source {
  startMs: number;
  endMs: number;
  rows: number;
  threadId: string | null;
  process: number;
}

/** Level shares: mostly DEBUG/INFO, ~1% WARN, ~0.2% ERROR. */
function levelOf(x: number): LogLevel {
  return x < 0.05 ? 'TRACE' : x < 0.55 ? 'DEBUG' : x < 0.988 ? 'INFO' : x < 0.998 ? 'WARN' : 'ERROR';
}

/**
 * Plans who logs when over 10 days: processes (Codex runs) with lifetimes, threads inside them (most
 * at the 1,000-row cap, some short), each thread's rows spread over its own activity span, and each
 * process's threadless rows over its lifetime; 3% of rows are threadless.
 */
function planSources(rows: number, seed: number): { sources: Source[]; processes: string[] } {
  const r = createRng(seed ^ 0x1065);
  const spanMs = LOGS_SPAN_DAYS * 86_400_000;
  const startMs = LOGS_END_MS - spanMs;
  const threadless = Math.round(rows * 0.03);
  const processCount = Math.max(2, Math.round(threadless / 940));
  const procs = Array.from({ length: processCount }, () => {
    const s = startMs + r() * spanMs * 0.98;
    return { s, e: Math.min(LOGS_END_MS, s + 3_600_000 * Math.exp(r() * 3.4 - 0.7)) };
  }).sort((a, b) => a.s - b.s);
  const processes = procs.map((p, i) => `pid:${10_000 + i * 37}:${uuidV7(p.s, r)}`);
  const sources: Source[] = [];
  let left = rows - threadless;
  while (left > 0) {
    const n = Math.min(left, r() < 0.85 ? 1_000 : 50 + Math.floor(r() * 900));
    left -= n;
    const p = Math.floor(r() * processCount);
    const proc = procs[p] ?? { s: startMs, e: LOGS_END_MS };
    const s = proc.s + r() * (proc.e - proc.s) * 0.9;
    const dur = Math.max(60_000, 1_800_000 * Math.exp((r() - 0.5) * 3));
    sources.push({
      startMs: s,
      endMs: Math.min(LOGS_END_MS, s + dur),
      rows: n,
      threadId: uuidV7(s, r),
      process: p,
    });
  }
  const per = Math.floor(threadless / processCount);
  procs.forEach((proc, p) =>
    sources.push({
      startMs: proc.s,
      endMs: proc.e,
      rows: p === processCount - 1 ? threadless - per * (processCount - 1) : per,
      threadId: null,
      process: p,
    }),
  );
  return { sources, processes };
}

function insertRows(
  db: Database.Database,
  rows: number,
  seed: number,
): { threads: number; processes: number; threadless: number } {
  const { sources, processes } = planSources(rows, seed);
  const r = createRng(seed ^ 0x7a11);
  // Every row as (ms since the span start) * 2^23 + row index: one numeric sort puts them in time order.
  const startMs = LOGS_END_MS - LOGS_SPAN_DAYS * 86_400_000;
  const keys = new Float64Array(rows);
  const owner = new Int32Array(rows);
  let i = 0;
  sources.forEach((s, k) => {
    for (let j = 0; j < s.rows; j++, i++) {
      keys[i] = Math.floor(s.startMs - startMs + r() * (s.endMs - s.startMs)) * 2 ** 23 + i;
      owner[i] = k;
    }
  });
  keys.sort();
  const weights = LOG_TARGETS.reduce((n, t) => n + t.weight, 0);
  const targetOf = (x: number): (typeof LOG_TARGETS)[number] => {
    let w = x * weights;
    for (const t of LOG_TARGETS) if ((w -= t.weight) < 0) return t;
    return LOG_TARGETS[0] as (typeof LOG_TARGETS)[number];
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const PER = 100;
  const cols = 11;
  const stmt = db.prepare(
    `INSERT INTO logs (ts, ts_nanos, level, target, message, module_path, file, line, thread_id, process_uuid, estimated_bytes) VALUES ${Array.from({ length: PER }, () => `(${Array(cols).fill('?').join(',')})`).join(',')}`,
  );
  const one = db.prepare(
    `INSERT INTO logs (ts, ts_nanos, level, target, message, module_path, file, line, thread_id, process_uuid, estimated_bytes) VALUES (${Array(cols).fill('?').join(',')})`,
  );
  const params: unknown[] = new Array(PER * cols);
  let filled = 0;
  const tx = db.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const key = keys[k] ?? 0;
      const idx = key % 2 ** 23;
      const ms = startMs + Math.floor(key / 2 ** 23);
      const src = sources[owner[idx] ?? 0] as Source;
      const level = levelOf(r());
      const t = targetOf(r());
      const words: string[] = [];
      for (let w = 12 + Math.floor(r() * 24); w > 0; w--) words.push(pick(LOG_VOCAB));
      if (r() < RARE_SHARE * LOG_RARE_WORDS.length)
        words.splice(Math.floor(r() * words.length), 0, pick(LOG_RARE_WORDS));
      const head = level === 'WARN' || level === 'ERROR' ? pick(PROBLEMS) : pick(PHRASES);
      const message = `${head}: ${words.join(' ')} call_id=call_${Math.floor(r() * 1e9).toString(36)} turn=${Math.floor(r() * 40)} elapsed_ms=${Math.floor(r() * 5000)}`;
      const tsS = Math.floor(ms / 1000);
      const row = [
        tsS,
        (ms - tsS * 1000) * 1_000_000 + Math.floor(r() * 1_000_000),
        level,
        t.target,
        message,
        t.target,
        t.file,
        1 + Math.floor(r() * 2000),
        src.threadId,
        r() < 0.002 && src.threadId === null ? null : (processes[src.process] ?? null),
        estimateLogBytes({ message, level, target: t.target, modulePath: t.target, file: t.file }),
      ];
      if (to - k < PER - filled) {
        one.run(...row);
        continue;
      }
      for (let c = 0; c < cols; c++) params[filled * cols + c] = row[c];
      if (++filled === PER) {
        stmt.run(...params);
        filled = 0;
      }
    }
  });
  for (let from = 0; from < rows; from += 500_000) tx(from, Math.min(rows, from + 500_000));
  return {
    threads: sources.filter((s) => s.threadId !== null).length,
    processes: processes.length,
    threadless: sources.filter((s) => s.threadId === null).reduce((n, s) => n + s.rows, 0),
  };
}

/**
 * A logs DB of `rows` plausible rows with our schema and indexes, cached under .bench/ in a folder named
 * after the generator version, the migrations' checksum, the row count and the seed. Built fast: no caps,
 * indexes dropped during the bulk insert and rebuilt after it, no journal; the DB is left in WAL mode.
 * `log_partition_usage` stays empty (the benchmark only reads this DB).
 */
export function ensureLogsCorpus(benchDir: string, rows: number, seed: number): LogsCorpusInfo {
  const schema = createHash('sha256')
    .update(logsMigrations.map((m) => m.sql).join('\n'))
    .digest('hex')
    .slice(0, 8);
  const dir = join(benchDir, `logs-v${LOGS_CORPUS_VERSION}-m${schema}-r${rows}-s${seed}`);
  const manifestPath = join(dir, 'manifest.json');
  const dbFile = join(dir, logsDbFileName);
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Omit<LogsCorpusInfo, 'generatedMs'>;
    return { ...m, dir, dbFile, generatedMs: null };
  }
  if (rows >= 2 ** 23) throw new Error('the logs corpus holds fewer than 8,388,608 rows');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const tmp = join(dir, 'building.sqlite');
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  migrate(db, logsMigrations, 'logs');
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'logs' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);
  const made = insertRows(db, rows, seed);
  for (const ix of indexes) db.exec(ix.sql);
  db.pragma('journal_mode = WAL');
  db.close();
  renameSync(tmp, dbFile);
  const info = {
    rows,
    threads: made.threads,
    processes: made.processes,
    threadlessRows: made.threadless,
    bytes: statSync(dbFile).size,
  };
  writeFileSync(manifestPath, JSON.stringify(info));
  return { ...info, dir, dbFile, generatedMs: performance.now() - started };
}
