import { LOG_LEVELS, type LogLevelName } from '../../preload/contract/logs.ts';
import type { LogColumn, LogTableShape } from './log-table.ts';

/** A filter ready for SQL: sub-agents already expanded into `threadIds` by the service. */
export interface ResolvedLogFilter {
  minLevel?: LogLevelName | undefined;
  threadIds?: readonly string[] | undefined;
  includeThreadless?: boolean | undefined;
  process?: string | undefined;
  target?: string | undefined;
  text?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

export interface SqlPart {
  sql: string;
  params: unknown[];
}

/** A time as the seed stores it: `(ts, ts_nanos)`. */
export const splitMs = (ms: number): [number, number] => {
  const ts = Math.floor(ms / 1000);
  return [ts, Math.round((ms - ts * 1000) * 1_000_000)];
};

export const toMs = (ts: number, tsNanos: number): number => ts * 1000 + Math.floor(tsNanos / 1_000_000);

/** `%term%` for LIKE with `\` escaping, so `_` and `%` in the term match themselves. */
export const likeTerm = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const levelsFrom = (min: LogLevelName): string[] => LOG_LEVELS.slice(LOG_LEVELS.indexOf(min));

/**
 * The WHERE conjuncts of a filter (seed §4.5 semantics, widened: minimum level instead of one level,
 * target matches target or module path, text is case-insensitive LIKE rather than INSTR). A filter on
 * a column the table lacks matches nothing (`0`), never an SQL error.
 */
export function filterConjuncts(
  f: ResolvedLogFilter,
  shape: LogTableShape,
  { indexed = true }: { indexed?: boolean } = {},
): SqlPart[] {
  const parts: SqlPart[] = [];
  // `+col` keeps SQLite off that column's index: a windowed walk of the time index must stay on it.
  const ix = (c: 'thread_id' | 'process_uuid'): string => (indexed ? c : `+${c}`);
  const col = (c: LogColumn): boolean => shape.has.has(c);
  const none: SqlPart = { sql: '0', params: [] };
  if (f.minLevel && f.minLevel !== 'TRACE') {
    const levels = levelsFrom(f.minLevel);
    parts.push({ sql: `level IN (${levels.map(() => '?').join(', ')})`, params: levels });
  }
  const ids = f.threadIds ?? [];
  if (ids.length > 0 || f.includeThreadless) {
    // Seed §4.5: either set gives `(thread_id = t1 OR … OR thread_id IS NULL)`; threadless alone keeps
    // only rows without a thread.
    if (!col('thread_id')) parts.push(ids.length > 0 ? none : { sql: '1', params: [] });
    else {
      const alts = [
        ...(ids.length > 0 ? [`${ix('thread_id')} IN (${ids.map(() => '?').join(', ')})`] : []),
        ...(f.includeThreadless ? ['thread_id IS NULL'] : []),
      ];
      parts.push({ sql: alts.length === 1 ? (alts[0] ?? '0') : `(${alts.join(' OR ')})`, params: [...ids] });
    }
  }
  if (f.process)
    parts.push(col('process_uuid') ? { sql: `${ix('process_uuid')} = ?`, params: [f.process] } : none);
  if (f.target) {
    const alts = (['target', 'module_path'] as const).filter(col);
    parts.push(
      alts.length === 0
        ? none
        : {
            sql: `(${alts.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`,
            params: alts.map(() => likeTerm(f.target ?? '')),
          },
    );
  }
  if (f.text) {
    parts.push(col('message') ? { sql: `message LIKE ? ESCAPE '\\'`, params: [likeTerm(f.text)] } : none);
  }
  if (f.fromMs !== undefined)
    parts.push({ sql: `(ts, ${shape.nanos}) >= (?, ?)`, params: splitMs(f.fromMs) });
  if (f.toMs !== undefined) {
    // Inclusive of the whole last millisecond.
    const [ts, nanos] = splitMs(f.toMs);
    parts.push({ sql: `(ts, ${shape.nanos}) <= (?, ?)`, params: [ts, nanos + 999_999] });
  }
  return parts;
}

export const joinWhere = (parts: readonly SqlPart[]): SqlPart => ({
  sql: parts.length === 0 ? '1' : parts.map((p) => p.sql).join(' AND '),
  params: parts.flatMap((p) => p.params),
});
