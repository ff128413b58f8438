import type { Db } from '../state/connection.ts';

/** Columns of the seed's `logs` table (§4.1) a query reads; `id`, `ts` and `level` are required. */
export const LOG_COLUMNS = [
  'id',
  'ts',
  'ts_nanos',
  'level',
  'target',
  'message',
  'module_path',
  'file',
  'line',
  'thread_id',
  'process_uuid',
] as const;
export type LogColumn = (typeof LOG_COLUMNS)[number];

const REQUIRED: readonly LogColumn[] = ['id', 'ts', 'level'];

/**
 * What one `logs` table offers: ours always has every column; Codex's may come from another version,
 * so its columns are read from the schema rather than assumed. A missing column reads as NULL (0 for
 * `ts_nanos`) and a filter on it matches nothing.
 */
export interface LogTableShape {
  has: ReadonlySet<LogColumn>;
  missing: LogColumn[];
  /** The SELECT list, aliased to the seed's names whatever is missing. */
  select: string;
  /** `ts_nanos`, or `0` when the table has none: use it in WHERE and ORDER BY. */
  nanos: string;
  /** Whether `(ts DESC, ts_nanos DESC, id DESC)` ordering can use an index (seed's `idx_logs_ts`). */
  tsIndexed: boolean;
}

export class LogTableError extends Error {}

export function readLogTableShape(db: Db): LogTableShape {
  const cols = db.prepare("SELECT name FROM pragma_table_info('logs')").pluck().all() as string[];
  if (cols.length === 0) throw new LogTableError('the database has no logs table');
  const present = new Set(cols.map((c) => c.toLowerCase()));
  const has = new Set(LOG_COLUMNS.filter((c) => present.has(c)));
  const missing = LOG_COLUMNS.filter((c) => !has.has(c));
  const lacking = REQUIRED.filter((c) => !has.has(c));
  if (lacking.length > 0) throw new LogTableError(`the logs table has no ${lacking.join(', ')} column`);
  const select = LOG_COLUMNS.map((c) =>
    has.has(c) ? c : c === 'ts_nanos' ? '0 AS ts_nanos' : c === 'target' ? "'' AS target" : `NULL AS ${c}`,
  ).join(', ');
  const indexes = db.prepare("SELECT name FROM pragma_index_list('logs')").pluck().all() as string[];
  const tsIndexed = indexes.some((name) => {
    const first = db.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').pluck().get(name);
    return first === 'ts';
  });
  return { has, missing, select, nanos: has.has('ts_nanos') ? 'ts_nanos' : '0', tsIndexed };
}

/** The full shape of our own table (it is ours: no need to read the schema). */
export const FULL_LOG_SHAPE: LogTableShape = {
  has: new Set(LOG_COLUMNS),
  missing: [],
  select: LOG_COLUMNS.join(', '),
  nanos: 'ts_nanos',
  tsIndexed: true,
};

/** `ORDER BY` over time then id; a table without `ts_nanos` orders by `ts, id` (a constant would name a column). */
export const timeOrder = (shape: LogTableShape, dir: 'ASC' | 'DESC'): string =>
  shape.has.has('ts_nanos')
    ? `ORDER BY ts ${dir}, ts_nanos ${dir}, id ${dir}`
    : `ORDER BY ts ${dir}, id ${dir}`;
