/**
 * A stand-in for a running Codex, as a separate process (`node codex-writer-process.ts <json args>`):
 * creates `logs_1.sqlite` in its sqlite home (WAL, Codex's schema) and then, for `durationMs`, every few
 * milliseconds appends one line to a rollout (every 7th in two writes, as a torn line a reader may see
 * half of) and inserts one log row for the thread in its own transaction. Prints `ready` once the DB
 * exists, and at the end one JSON line: `{ lines, rows, seconds }`.
 */
import Database from 'better-sqlite3';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CodexWriterArgs {
  rolloutPath: string;
  sqliteHome: string;
  threadId: string;
  durationMs: number;
  /** Milliseconds between two writes (the line and the row). */
  everyMs: number;
  /** migrations/logs/0001_logs.sql: Codex's logs table. */
  schemaFile: string;
}

export interface CodexWriterReport {
  lines: number;
  rows: number;
  seconds: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as CodexWriterArgs;
const schema = readFileSync(args.schemaFile, 'utf8').replace(/CREATE TABLE log_partition_usage[\s\S]*?;/, '');
const db = new Database(join(args.sqliteHome, 'logs_1.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
db.exec(schema);
const insert = db.prepare(
  `INSERT INTO logs (ts, ts_nanos, level, target, message, module_path, file, line, thread_id, process_uuid, estimated_bytes)
   VALUES (?, ?, 'INFO', 'codex_core::codex', ?, 'codex_core::codex', 'core/src/codex.rs', 1, ?, ?, ?)`,
);
const processUuid = `pid:${process.pid}:0f000000-0000-4000-8000-000000000001`;
process.stdout.write('ready\n');

const started = performance.now();
let lines = 0;
let rows = 0;

function lineText(n: number): string {
  const payload = {
    type: 'message',
    role: 'assistant',
    content: [{ type: 'output_text', text: `streamed answer ${n}` }],
  };
  return `${JSON.stringify({ timestamp: new Date().toISOString(), type: 'response_item', payload })}\n`;
}

function tick(): void {
  const text = lineText(lines);
  if (lines % 7 === 3) {
    const cut = Math.floor(text.length / 2);
    appendFileSync(args.rolloutPath, text.slice(0, cut));
    appendFileSync(args.rolloutPath, text.slice(cut));
  } else {
    appendFileSync(args.rolloutPath, text);
  }
  lines++;
  const ms = Date.now();
  const message = `codex row ${rows}`;
  insert.run(
    Math.floor(ms / 1000),
    (ms % 1000) * 1_000_000,
    message,
    args.threadId,
    processUuid,
    message.length,
  );
  rows++;
  if (performance.now() - started < args.durationMs) setTimeout(tick, args.everyMs);
  else finish();
}

function finish(): void {
  db.close();
  const report: CodexWriterReport = { lines, rows, seconds: (performance.now() - started) / 1000 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

setTimeout(tick, args.everyMs);
