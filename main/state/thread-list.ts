import type { Statement } from 'better-sqlite3';
import type { ListThreadsInput, SortKey, ThreadPage } from '../../preload/contract/index.ts';
import type { Db } from './connection.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { SOURCE_KIND_SQL } from './thread-facets.ts';
import { rowToThread, THREAD_COLUMNS, type ThreadRow } from './thread-row.ts';
import { createTitleIndex } from './title-index.ts';

/** The validated (defaults applied) list input. */
export interface ListQuery {
  cursor?: string | null | undefined;
  limit: number;
  sortKey: SortKey;
  archived: boolean;
  sources?: string[] | undefined;
  modelProviders?: string[] | undefined;
  models?: string[] | undefined;
  sourceKinds?: string[] | undefined;
  gitBranches?: string[] | undefined;
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
  const titleIndex = createTitleIndex(db);

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
    addIn('kind', SOURCE_KIND_SQL, q.sourceKinds);
    addIn('branch', 'git_branch', q.gitBranches);
    if (q.cwd !== undefined) {
      where.push('cwd = @cwd');
      params.cwd = q.cwd;
      shape.push('cwd');
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
    const order = `ORDER BY ${col} DESC, id DESC`;
    const prepared = (variant: string, sql: () => string): Statement => {
      const key = `${variant}|${shape.join('|')}`;
      let stmt = cache.get(key);
      if (!stmt) {
        stmt = db.prepare(sql());
        cache.set(key, stmt);
      }
      return stmt;
    };
    const filters = where.join(' AND ');
    let rows: ThreadRow[];
    if (!q.searchTerm) {
      rows = prepared(
        'plain',
        () => `SELECT ${THREAD_COLUMNS} FROM threads WHERE ${filters} ${order} LIMIT @limit`,
      ).all(params) as ThreadRow[];
    } else {
      params.term = q.searchTerm;
      rows = searchTitles(q.searchTerm, titleIndex.isReady(), params, q.limit, prepared, filters, order);
    }
    const more = rows.length > q.limit;
    const kept = more ? rows.slice(0, q.limit) : rows;
    const last = kept.at(-1);
    return {
      items: kept.map(rowToThread),
      nextCursor: more && last ? encodeCursor({ ts: last[col], id: last.id }) : null,
    };
  };
}

/** Rows walked newest-first before a title search switches to the trigram index (see searchTitles). */
export const TITLE_WALK_ROWS = 4000;

type Prepare = (variant: string, sql: () => string) => Statement;

/**
 * Seed title search (`instr(title, term) > 0`, case-sensitive), answered by whichever of two plans is cheap
 * for the term: a term common among recent threads fills the page from a bounded newest-first walk of the
 * sort index; otherwise (fewer than a page in the newest TITLE_WALK_ROWS) the term is rare, and the trigram
 * index (migration 0007) yields a small candidate set to sort. Terms under three characters have no trigram
 * and keep the plain walk, as does every term while the index is being rebuilt. instr() stays in both plans, so results are exactly the seed's.
 */
function searchTitles(
  term: string,
  indexReady: boolean,
  params: Record<string, string | number>,
  limit: number,
  prepared: Prepare,
  filters: string,
  order: string,
): ThreadRow[] {
  const termFilter = `${filters} AND instr(title, @term) > 0`;
  if (!indexReady || [...term].length < 3) {
    return prepared(
      'term-walk',
      () => `SELECT ${THREAD_COLUMNS} FROM threads WHERE ${termFilter} ${order} LIMIT @limit`,
    ).all(params) as ThreadRow[];
  }
  // The inner LIMIT keeps the subquery from being flattened: a co-routine walking the sort index.
  const recent = prepared(
    'term-recent',
    () =>
      `SELECT ${THREAD_COLUMNS} FROM (SELECT * FROM threads WHERE ${filters} ${order} LIMIT ${TITLE_WALK_ROWS})
       WHERE instr(title, @term) > 0 ${order} LIMIT @limit`,
  ).all(params) as ThreadRow[];
  if (recent.length > limit) return recent;
  return prepared(
    'term-fts',
    () =>
      // CROSS JOIN fixes the loop order: candidates from the index, then a rowid lookup each. Left to
      // itself the planner walks the whole archived/sort index and probes the candidate set instead.
      `SELECT ${THREAD_COLUMNS} FROM (SELECT rowid AS hit FROM threads_title_fts WHERE threads_title_fts MATCH @match)
       CROSS JOIN threads ON threads.rowid = hit WHERE ${termFilter} ${order} LIMIT @limit`,
  ).all({ ...params, match: ftsPhrase(term) }) as ThreadRow[];
}

/** The term as one FTS5 string: with the trigram tokenizer, a substring match. */
function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}
