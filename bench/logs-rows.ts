import { toLogRow, type LogLevel, type LogRow } from '../main/logs/log-entry.ts';
import type { LogInput } from '../main/logs/log-writer.ts';

const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR'];
const WORDS = ['turn', 'tool', 'exec', 'patch', 'stream', 'rollout', 'session', 'token', 'sandbox', 'mcp'];
/** The process the writer benchmark's rows belong to (threadless rows are this process's partition). */
export const BENCH_PROCESS = `pid:${process.pid}:bench`;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * ~375-byte rows (perf.md): 85% across `threads` threads, the rest threadless (this process / none). A
 * generator, so the worker benchmark can log rows as it makes them instead of holding them all.
 */
export function* logRows(n: number, threads: number, seed: number): Generator<LogRow> {
  const rand = rng(seed);
  const start = 1_800_000_000;
  for (let i = 0; i < n; i++) {
    const r = rand();
    const threadId =
      r < 0.85 ? `0199a000-0000-7000-8000-${String(Math.floor(rand() * threads)).padStart(12, '0')}` : null;
    const words = Array.from({ length: 28 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
    yield toLogRow({
      ts: start + Math.floor(i / 1_000),
      tsNanos: (i % 1_000) * 1_000_000,
      level: LEVELS[i % LEVELS.length] ?? 'INFO',
      target: 'codex_core::exec',
      message: `event ${i}: ${words}`,
      modulePath: 'main/ingest/rollout-ingest',
      file: 'main/ingest/rollout-ingest.ts',
      line: 100 + (i % 300),
      threadId,
      processUuid: r > 0.97 ? null : BENCH_PROCESS,
    });
  }
}

/** What a caller hands `LogWriter.log()` for a row (the writer rebuilds the row from it). */
export const toLogInput = (r: LogRow): LogInput => ({
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
