import type { Db } from '../state/connection.ts';
import type { Slicer } from '../core/time-slice.ts';
import { timeOrder, type LogTableShape } from '../logs/log-table.ts';

/** Seed §4.6: the same 10 MiB as the partition cap, counted in UTF-8 bytes of the rendered lines. */
export const FEEDBACK_LOG_BUDGET_BYTES = 10 * 1024 * 1024;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Seed §4.6 line: `<YYYY-MM-DDTHH:MM:SS>.<micro6>Z <level right-aligned in 5> <message>`, plus `\n` unless the
 * message already ends with one. The date is UTC from `ts`; micro6 is `ts_nanos / 1000`.
 */
export function renderFeedbackLine(ts: number, tsNanos: number, level: string, message: string): string {
  const d = new Date(ts * 1000);
  const date =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  const line = `${date}.${pad(Math.floor(tsNanos / 1000), 6)}Z ${level.padStart(5)} ${message}`;
  return message.endsWith('\n') ? line : `${line}\n`;
}

/** Feedback rows may come from a selection (app feedback: this process's threadless rows). */
export type FeedbackLogScope = { threadId: string } | { processUuid: string };

interface Row {
  ts: number;
  ts_nanos: number;
  level: string;
  message: string;
}

/**
 * Seed §4.6 `query_feedback_logs`: the thread's rows plus the threadless rows of the thread's most recent
 * process (the process of its newest row that has one), messages only; walked newest first while the
 * rendered lines fit the budget (so the result is the newest contiguous suffix; empty when the newest
 * line alone is too big), returned oldest first as one UTF-8 buffer.
 *
 * Both sides are read newest-first from their own index and merged by SQLite (UNION ALL with ORDER BY),
 * stopping at the budget, instead of the seed's window function over every candidate row. `db` should
 * be a connection of its own: the walk yields to the event loop between slices with its statement open.
 */
export async function queryFeedbackLogs(
  db: Db,
  shape: LogTableShape,
  scope: FeedbackLogScope,
  slicer: Slicer,
  budgetBytes = FEEDBACK_LOG_BUDGET_BYTES,
): Promise<Buffer> {
  const has = (c: 'thread_id' | 'process_uuid' | 'message'): boolean => shape.has.has(c);
  if (!has('message')) return Buffer.alloc(0);
  const order = timeOrder(shape, 'DESC');
  const cols = `ts, ${shape.nanos} AS ts_nanos, level, message`;
  let sql: string;
  let params: unknown[];
  if ('threadId' in scope) {
    if (!has('thread_id')) return Buffer.alloc(0);
    const latest = has('process_uuid')
      ? ((db
          .prepare(
            `SELECT process_uuid FROM logs WHERE thread_id = ? AND process_uuid IS NOT NULL ${order} LIMIT 1`,
          )
          .pluck()
          .get(scope.threadId) as string | undefined) ?? null)
      : null;
    const threadRows = `SELECT ${cols}, id FROM logs WHERE thread_id = ? AND message IS NOT NULL`;
    sql =
      latest === null
        ? `${threadRows} ${order}`
        : `${threadRows} UNION ALL SELECT ${cols}, id FROM logs
             WHERE thread_id IS NULL AND process_uuid = ? AND message IS NOT NULL ${order}`;
    params = latest === null ? [scope.threadId] : [scope.threadId, latest];
  } else {
    if (!has('process_uuid')) return Buffer.alloc(0);
    const threadless = has('thread_id') ? 'thread_id IS NULL AND ' : '';
    sql = `SELECT ${cols}, id FROM logs WHERE ${threadless}process_uuid = ? AND message IS NOT NULL ${order}`;
    params = [scope.processUuid];
  }
  const lines: string[] = [];
  let total = 0;
  for (const r of db.prepare(sql).iterate(...params) as IterableIterator<Row>) {
    const line = renderFeedbackLine(r.ts, r.ts_nanos, r.level, r.message);
    const bytes = Buffer.byteLength(line);
    if (total + bytes > budgetBytes) break;
    total += bytes;
    lines.push(line);
    if (slicer.due()) await slicer.yieldNow();
  }
  return Buffer.from(lines.reverse().join(''), 'utf8');
}
