import { randomUUID } from 'node:crypto';

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** One row of `logs` before insertion (seed §4.1); `estimatedBytes` is computed by the writer. */
export interface LogEntry {
  /** Epoch seconds. */
  ts: number;
  /** Sub-second nanoseconds, 0..999,999,999. */
  tsNanos: number;
  level: LogLevel;
  target: string;
  message: string | null;
  modulePath?: string | null;
  file?: string | null;
  line?: number | null;
  threadId?: string | null;
  processUuid?: string | null;
}

/** A row ready for insert: every column resolved, `estimated_bytes` computed (seed §4.1). */
export interface LogRow {
  ts: number;
  tsNanos: number;
  level: string;
  target: string;
  message: string | null;
  modulePath: string | null;
  file: string | null;
  line: number | null;
  threadId: string | null;
  processUuid: string | null;
  estimatedBytes: number;
}

const utf8 = (s: string | null | undefined): number => (s ? Buffer.byteLength(s, 'utf8') : 0);

/** Seed §4.1: UTF-8 bytes of message + level + target + module_path + file (nulls count 0). */
export const estimateLogBytes = (
  e: Pick<LogEntry, 'message' | 'level' | 'target' | 'modulePath' | 'file'>,
): number => utf8(e.message) + utf8(e.level) + utf8(e.target) + utf8(e.modulePath) + utf8(e.file);

export function toLogRow(e: LogEntry): LogRow {
  return {
    ts: e.ts,
    tsNanos: e.tsNanos,
    level: e.level,
    target: e.target,
    message: e.message,
    modulePath: e.modulePath ?? null,
    file: e.file ?? null,
    line: e.line ?? null,
    threadId: e.threadId ?? null,
    processUuid: e.processUuid ?? null,
    estimatedBytes: estimateLogBytes(e),
  };
}

/** Seed §4.2: `pid:<os pid>:<uuid v4>`, computed once per process. */
export const makeProcessUuid = (): string => `pid:${process.pid}:${randomUUID()}`;

let processUuid: string | null = null;
export const appProcessUuid = (): string => (processUuid ??= makeProcessUuid());

/** Wall-clock time split as the seed stores it. */
export function nowTs(ms = Date.now()): { ts: number; tsNanos: number } {
  const ts = Math.floor(ms / 1000);
  return { ts, tsNanos: Math.round((ms - ts * 1000) * 1_000_000) };
}
