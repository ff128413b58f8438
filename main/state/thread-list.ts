import type { Statement } from 'better-sqlite3';
import type { ListThreadsInput, SortKey, ThreadPage } from '../../preload/contract/index.ts';
import type { Db } from './connection.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { rowToThread, THREAD_COLUMNS, type ThreadRow } from './thread-row.ts';

/** The validated (defaults applied) list input. */
export interface ListQuery {
  cursor?: string | null | undefined;
  limit: number;
  sortKey: SortKey;
  archived: boolean;
  sources?: string[] | undefined;
  modelProviders?: string[] | undefined;
  models?: string[] | undefined;
  cwd?: string | undefined;
  searchTerm?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  includeWithoutUserMessage?: boolean | undefined;
}

export type { ListThreadsInput };

/**
 * Seed §2.5 listing: archived filter, hide threads without a user message, sources / providers IN,
 * case-sensitive `instr(title, term)`, keyset anchor on (sort column, id), newest first, page+1 fetch.
 * Statements are cached per query shape so the hot path never re-prepares.
 */
export function createThreadLister(db: Db) {
  const cache = new Map<string, Statement>();

  return function listThreads(q: ListQuery): ThreadPage {
    const col = q.sortKey === 'updated_at' ? 'updated_at' : 'created_at';
    const where: string[] = ['archived = @archived'];
    if (!q.includeWithoutUserMessage) where.push("first_user_message <> ''");
    const params: Record<string, string | number> = { archived: q.archived ? 1 : 0, limit: q.limit + 1 };
    const shape: string[] = [col, q.includeWithoutUserMessage ? 'all' : 'user'];
    const addIn = (name: string, column: string, values: string[] | undefined): void => {
      if (!values || values.length === 0) return;
      const keys = values.map((v, i) => {
        params[`${name}${i}`] = v;
        return `@${name}${i}`;
      });
      where.push(`${column} IN (${keys.join(', ')})`);
      shape.push(`${name}${values.length}`);
    };
    addIn('src', 'source', q.sources);
    addIn('prov', 'model_provider', q.modelProviders);
    addIn('model', 'model', q.models);
    if (q.cwd !== undefined) {
      where.push('cwd = @cwd');
      params.cwd = q.cwd;
      shape.push('cwd');
    }
    if (q.searchTerm) {
      where.push('instr(title, @term) > 0');
      params.term = q.searchTerm;
      shape.push('term');
    }
    if (q.from !== undefined) {
      where.push(`${col} >= @from`);
      params.from = q.from;
      shape.push('from');
    }
    if (q.to !== undefined) {
      where.push(`${col} <= @to`);
      params.to = q.to;
      shape.push('to');
    }
    if (q.cursor) {
      const anchor = decodeCursor(q.cursor);
      where.push(`(${col} < @ats OR (${col} = @ats AND id < @aid))`);
      params.ats = anchor.ts;
      params.aid = anchor.id;
      shape.push('anchor');
    }
    const key = shape.join('|');
    let stmt = cache.get(key);
    if (!stmt) {
      stmt = db.prepare(
        `SELECT ${THREAD_COLUMNS} FROM threads WHERE ${where.join(' AND ')} ORDER BY ${col} DESC, id DESC LIMIT @limit`,
      );
      cache.set(key, stmt);
    }
    const rows = stmt.all(params) as ThreadRow[];
    const more = rows.length > q.limit;
    const kept = more ? rows.slice(0, q.limit) : rows;
    const last = kept.at(-1);
    return {
      items: kept.map(rowToThread),
      nextCursor: more && last ? encodeCursor({ ts: last[col], id: last.id }) : null,
    };
  };
}
