import type { Statement } from 'better-sqlite3';
import type { Db } from '../state/connection.ts';
import type { Slicer } from '../core/time-slice.ts';
import { timeOrder, type LogTableShape } from '../logs/log-table.ts';

/**
 * The export's connection maps the whole logs file: a thread's rows are scattered over it, and reading
 * them through the map costs a page fault where the default 256 MiB window costs a read() per page.
 */
export const FEEDBACK_MMAP_BYTES = 4 * 1024 * 1024 * 1024;

/** Seed §4.6: the same 10 MiB as the partition cap, counted in UTF-8 bytes of the rendered lines. */
export const FEEDBACK_LOG_BUDGET_BYTES = 10 * 1024 * 1024;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Seed §4.6 line: `<YYYY-MM-DDTHH:MM:SS>.<micro6>Z <level right-aligned in 5> <message>`, plus `\n` unless the
 * message already ends with one. The date is UTC from `ts`; micro6 is `ts_nanos / 1000`.
 */
/** Rows come in runs of the same second: its date text is formatted once. */
let lastTs = Number.NaN;
let lastDate = '';
function utcSecond(ts: number): string {
  if (ts !== lastTs) {
    const d = new Date(ts * 1000);
    lastDate =
      `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
      `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
    lastTs = ts;
  }
  return lastDate;
}

export function renderFeedbackLine(ts: number, tsNanos: number, level: string, message: string): string {
  const line = `${utcSecond(ts)}.${pad(Math.floor(tsNanos / 1000), 6)}Z ${level.padStart(5)} ${message}`;
  return message.endsWith('\n') ? line : `${line}\n`;
}

/** Feedback rows may come from a selection (app feedback: this process's threadless rows). */
export type FeedbackLogScope = { threadId: string } | { processUuid: string };

/** Rows read per query: big enough that statement overhead vanishes, small enough to stop near the budget. */
const PAGE_ROWS = 4_096;
/** Above any stored time: the first page's keyset bound. */
const TOP = Number.MAX_SAFE_INTEGER;

type RawRow = [ts: number, nanos: number, level: string, message: string, id: number];
type Key = [number, number, number];

/** Newest-first rows of one index walk, read in keyset pages. */
class Arm {
  private rows: RawRow[] = [];
  private at = 0;
  private done = false;
  private key: Key = [TOP, 0, 0];
  private readonly page: Statement<unknown[], RawRow>;
  private readonly param: unknown;

  constructor(page: Statement<unknown[], RawRow>, param: unknown) {
    this.page = page;
    this.param = param;
  }

  /** The next row without taking it (reads the next page when needed). */
  peek(): RawRow | undefined {
    if (this.at < this.rows.length) return this.rows[this.at];
    if (this.done) return undefined;
    this.rows = this.page.all(this.param, ...this.key, PAGE_ROWS);
    this.at = 0;
    const last = this.rows.at(-1);
    if (!last || this.rows.length < PAGE_ROWS) this.done = true;
    if (last) this.key = [last[0], last[1], last[4]];
    return this.rows[0];
  }

  take(): void {
    this.at++;
  }
}

/** Newer first by (ts, ts_nanos, id). */
const newer = (a: RawRow, b: RawRow): boolean =>
  a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[4] > b[4];

/**
 * Seed §4.6 `query_feedback_logs`: the thread's rows plus the threadless rows of the thread's most recent
 * process (the process of its newest row that has one), messages only; walked newest first while the
 * rendered lines fit the budget (so the result is the newest contiguous suffix; empty when the newest
 * line alone is too big), returned oldest first as one UTF-8 buffer.
 *
 * Each side is read newest-first from its own index in keyset pages and the two are merged here,
 * stopping at the budget, instead of the seed's window function over every candidate row; the event
 * loop gets a turn whenever the slice is spent.
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
  const n = shape.nanos;
  const arm = (where: string, param: unknown): Arm =>
    new Arm(
      db
        .prepare<unknown[], RawRow>(
          `SELECT ts, ${n}, level, message, id FROM logs WHERE ${where} AND message IS NOT NULL
           AND (ts, ${n}, id) < (?, ?, ?) ${order} LIMIT ?`,
        )
        .raw(),
      param,
    );
  const arms: Arm[] = [];
  const threadless = has('thread_id') ? 'thread_id IS NULL AND process_uuid = ?' : 'process_uuid = ?';
  if ('threadId' in scope) {
    if (!has('thread_id')) return Buffer.alloc(0);
    arms.push(arm('thread_id = ?', scope.threadId));
    const latest = has('process_uuid')
      ? (db
          .prepare(
            `SELECT process_uuid FROM logs WHERE thread_id = ? AND process_uuid IS NOT NULL ${order} LIMIT 1`,
          )
          .pluck()
          .get(scope.threadId) as string | undefined)
      : undefined;
    if (latest !== undefined) arms.push(arm(threadless, latest));
  } else {
    if (!has('process_uuid')) return Buffer.alloc(0);
    arms.push(arm(threadless, scope.processUuid));
  }
  const [a, b] = arms;
  const levels = new Map<string, string>();
  const lines: string[] = [];
  let total = 0;
  for (let i = 1; ; i++) {
    const ra = a?.peek();
    const rb = b?.peek();
    const pick = ra && (!rb || newer(ra, rb)) ? a : rb ? b : undefined;
    const row = pick === a ? ra : rb;
    if (!pick || !row) break;
    pick.take();
    const [ts, nanos, level, message] = row;
    let lv = levels.get(level);
    if (lv === undefined) levels.set(level, (lv = level.padStart(5)));
    const head = `${utcSecond(ts)}.${pad(Math.floor(nanos / 1000), 6)}Z ${lv} `;
    const line = message.endsWith('\n') ? head + message : `${head}${message}\n`;
    const bytes = Buffer.byteLength(line);
    if (total + bytes > budgetBytes) break;
    total += bytes;
    lines.push(line);
    if (i % 1024 === 0) await slicer.maybeYield();
  }
  return Buffer.from(lines.reverse().join(''), 'utf8');
}
