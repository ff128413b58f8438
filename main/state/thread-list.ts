import type { Statement } from 'better-sqlite3';
import type { ListThreadsInput, SortKey, ThreadPage } from '../../preload/contract/index.ts';
import type { Db } from './connection.ts';
import { decodeCursor, decodeProjectCursor, encodeCursor, encodeProjectCursor } from './cursor.ts';
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
  /** `project`: ordered by cwd first, so project groups arrive whole and in order (default `none`). */
  groupBy?: 'none' | 'project' | undefined;
}

export type { ListThreadsInput };

/**
 * Seed §2.5 listing: archived filter, hide threads without a user message, sources / providers IN,
 * case-sensitive `instr(title, term)`, keyset anchor on (sort column, id), newest first, page+1 fetch.
 * With `groupBy: 'project'` the order is (cwd ASC, sort column DESC, id DESC) and the cursor carries the cwd.
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
    const prepared = (variant: string, sql: () => string): Statement => {
      const key = `${variant}|${shape.join('|')}`;
      let stmt = cache.get(key);
      if (!stmt) {
        stmt = db.prepare(sql());
        cache.set(key, stmt);
      }
      return stmt;
    };
    /** One keyset slice: the filters plus `extra`, in `order`, at most `take` rows (a page plus one). */
    const fetchSlice = (extra: string, tag: string, order: string, take: number): ThreadRow[] => {
      shape.push(tag);
      params.limit = take;
      const filters = extra ? `${where.join(' AND ')} AND ${extra}` : where.join(' AND ');
      const rows = !q.searchTerm
        ? (prepared(
            'plain',
            () => `SELECT ${THREAD_COLUMNS} FROM threads WHERE ${filters} ${order} LIMIT @limit`,
          ).all(params) as ThreadRow[])
        : searchTitles(
            q.searchTerm,
            titleIndex.isReady(),
            { ...params, term: q.searchTerm },
            take - 1,
            prepared,
            filters,
            order,
          );
      shape.pop();
      return rows;
    };
    // `col <= @ats` first gives the planner a seekable range; the OR then breaks the tie by id.
    const after = `${col} <= @ats AND (${col} < @ats OR id < @aid)`;
    let rows: ThreadRow[];
    if (q.groupBy !== 'project') {
      const order = `ORDER BY ${col} DESC, id DESC`;
      if (q.cursor) {
        const anchor = decodeCursor(q.cursor);
        params.ats = anchor.ts;
        params.aid = anchor.id;
      }
      rows = fetchSlice(q.cursor ? after : '', q.cursor ? 'anchor' : 'first', order, q.limit + 1);
    } else {
      // Grouped by project: cwd ASC, then newest first. A cursor resumes in two index seeks, the rest of
      // the anchor's project, then the projects after it, so a deep page never walks the rows before it.
      const order = `ORDER BY cwd ASC, ${col} DESC, id DESC`;
      if (!q.cursor) {
        rows = fetchSlice('', 'grp-first', order, q.limit + 1);
      } else {
        const anchor = decodeProjectCursor(q.cursor);
        params.ats = anchor.ts;
        params.aid = anchor.id;
        params.acwd = anchor.cwd;
        rows = fetchSlice(`cwd = @acwd AND ${after}`, 'grp-same', order, q.limit + 1);
        if (rows.length <= q.limit) {
          rows = rows.concat(fetchSlice('cwd > @acwd', 'grp-next', order, q.limit + 1 - rows.length));
        }
      }
    }
    const more = rows.length > q.limit;
    const kept = more ? rows.slice(0, q.limit) : rows;
    const last = kept.at(-1);
    let nextCursor: string | null = null;
    if (more && last) {
      nextCursor =
        q.groupBy === 'project'
          ? encodeProjectCursor({ cwd: last.cwd, ts: last[col], id: last.id })
          : encodeCursor({ ts: last[col], id: last.id });
    }
    return { items: kept.map(rowToThread), nextCursor };
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
