import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codex-home.ts';

/** One row as Codex's tracing layer writes it (seed §4.1); times in epoch ms, nanos derived. */
export interface CodexLogRow {
  ms: number;
  level: string;
  target: string;
  message: string | null;
  modulePath?: string | null;
  file?: string | null;
  line?: number | null;
  threadId?: string | null;
  processUuid?: string | null;
}

export interface CodexLogsDb {
  path: string;
  /** Inserts in one transaction (like Codex's batched inserter); returns the new ids. */
  insert(rows: readonly CodexLogRow[]): number[];
  close(): void;
}

/**
 * Codex's `logs` table: the seed schema of migrations/logs/0001 without our own usage table (Codex has
 * none), so the page reads a DB shaped exactly like the one Codex writes.
 */
function codexSchema(): string {
  const sql = readFileSync(join(repoRoot, 'migrations', 'logs', '0001_logs.sql'), 'utf8');
  return sql.replace(/CREATE TABLE log_partition_usage[\s\S]*?;/, '');
}

/** Creates `logs_1.sqlite` in `dir` (a CODEX_HOME) in WAL mode, as Codex does, and keeps it open for writes. */
export function createCodexLogsDb(dir: string): CodexLogsDb {
  const path = join(dir, 'logs_1.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(codexSchema());
  const stmt = db.prepare(
    `INSERT INTO logs (ts, ts_nanos, level, target, message, module_path, file, line, thread_id, process_uuid, estimated_bytes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const bytes = (...parts: (string | null | undefined)[]): number =>
    parts.reduce((n, p) => n + (p ? Buffer.byteLength(p) : 0), 0);
  const insert = db.transaction((rows: readonly CodexLogRow[]) =>
    rows.map((r) => {
      const ts = Math.floor(r.ms / 1000);
      const nanos = (r.ms - ts * 1000) * 1_000_000 + 4321;
      const info = stmt.run(
        ts,
        nanos,
        r.level,
        r.target,
        r.message,
        r.modulePath ?? null,
        r.file ?? null,
        r.line ?? null,
        r.threadId ?? null,
        r.processUuid ?? null,
        bytes(r.message, r.level, r.target, r.modulePath, r.file),
      );
      return Number(info.lastInsertRowid);
    }),
  );
  return { path, insert: (rows) => insert(rows), close: () => db.close() };
}

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const oneLine = (s: string, max = 400): string => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
};

/**
 * The rows Codex's tracing layer would have written while a real rollout was recorded: one per turn
 * start/end, user submission, tool call (`ToolCall: <name> <args>`, patches multi-line, as Codex logs
 * them), tool result (WARN on a non-zero exit), token count, abort and error, at the rollout's own
 * times, with its thread id and one process per session start. Real commands, ids and times, so the
 * page (and the README's screenshot) shows what a Codex session's logs look like.
 */
export function rowsFromRollout(rolloutPath: string): CodexLogRow[] {
  const rows: CodexLogRow[] = [];
  let threadId: string | null = null;
  let processUuid: string | null = null;
  let sessions = 0;
  const push = (ms: number, level: string, target: string, message: string, line: number): void => {
    const file = `${target.replace(/^codex_/, '').replace(/::.*$/, '')}/src/${target.split('::').at(-1)}.rs`;
    rows.push({ ms, level, target, message, modulePath: target, file, line, threadId, processUuid });
  };
  for (const text of readFileSync(rolloutPath, 'utf8').split('\n')) {
    let o: Json;
    try {
      o = JSON.parse(text) as Json;
    } catch {
      continue;
    }
    const ms = Date.parse(str(o.timestamp));
    if (!Number.isFinite(ms)) continue;
    const p = (o.payload ?? {}) as Json;
    const kind = o.type === 'session_meta' ? 'session_meta' : str(p.type);
    switch (kind) {
      case 'session_meta':
        threadId = str(p.id) || threadId;
        sessions += 1;
        processUuid = `pid:${40_000 + sessions * 17}:${threadId?.slice(-12) ?? 'unknown'}-${sessions}`;
        push(
          ms,
          'INFO',
          'codex_core::codex',
          `session ${sessions === 1 ? 'started' : 'resumed'}: ${str(p.originator)} ${str(p.cli_version)} in ${str(p.cwd)}`,
          412,
        );
        break;
      case 'task_started':
        push(ms, 'INFO', 'codex_core::codex', `turn started: ${str(p.turn_id)}`, 1880);
        break;
      case 'user_message':
        push(
          ms,
          'DEBUG',
          'codex_core::codex',
          `Submission: UserInput (${str(p.message).length} chars)`,
          1534,
        );
        break;
      case 'function_call':
        push(
          ms,
          'INFO',
          'codex_core::stream_events_utils',
          `ToolCall: ${str(p.name)} ${oneLine(str(p.arguments))}`,
          57,
        );
        break;
      case 'custom_tool_call':
        push(
          ms,
          'INFO',
          'codex_core::stream_events_utils',
          `ToolCall: ${str(p.name)} ${str(p.input).slice(0, 4000)}`,
          57,
        );
        break;
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const out = typeof p.output === 'string' ? p.output : JSON.stringify(p.output ?? '');
        const code = /(?:exited with code|Exit code:) (\d+)/.exec(out)?.[1];
        const failed = code !== undefined && code !== '0';
        push(
          ms,
          failed ? 'WARN' : 'DEBUG',
          'codex_core::exec',
          `tool output (${out.length} bytes)${code !== undefined ? `, exit code ${code}` : ''}: ${oneLine(out, 160)}`,
          233,
        );
        break;
      }
      case 'token_count': {
        const last = ((p.info as Json | null)?.last_token_usage ?? null) as Json | null;
        if (last)
          push(
            ms,
            'TRACE',
            'codex_core::client',
            `token usage: input ${num(last.input_tokens)} (cached ${num(last.cached_input_tokens)}), output ${num(last.output_tokens)}`,
            702,
          );
        break;
      }
      case 'task_complete':
        push(
          ms,
          'INFO',
          'codex_core::codex',
          `turn completed in ${(num(p.duration_ms) / 1000).toFixed(1)} s`,
          1961,
        );
        break;
      case 'turn_aborted':
        push(ms, 'WARN', 'codex_core::codex', `turn aborted: ${str(p.reason)}`, 1990);
        break;
      case 'context_compacted':
        push(ms, 'INFO', 'codex_core::compact', 'context compacted', 118);
        break;
      case 'web_search_end':
        push(ms, 'INFO', 'codex_core::tools::web_search', `web search: ${oneLine(str(p.query), 200)}`, 88);
        break;
      case 'error':
      case 'stream_error':
        push(ms, 'ERROR', 'codex_core::client', oneLine(str(p.message)) || kind, 540);
        break;
    }
  }
  return rows;
}
