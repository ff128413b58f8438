import type Database from 'better-sqlite3';
import type { SearchDocKind, SearchThread } from '../../preload/contract/search.ts';
import { AppError } from '../core/app-error.ts';
import type { Db } from '../state/connection.ts';
import { readHitText, SNIPPET_READ_BUDGET } from './hit-text.ts';
import { fileIdOf, firstRowid, lastRowid, type DocRunEntry } from './search-files-repo.ts';
import type { FilterField, ParsedQuery } from './search-query.ts';
import { cutSnippet, highlightTermsOf } from './snippet-cut.ts';

export interface SearchPage {
  threads: SearchThread[];
  /** Exclusive upper bound of the file ids still to visit, or null at the end. */
  nextFile: number | null;
}

export interface SearchOptions {
  limit: number;
  /** Visit only files with a smaller id (from the previous page's nextFile). */
  beforeFile: number | null;
  /** Hits shown per thread. */
  hitsPerThread?: number;
}

interface ThreadRow {
  id: string;
  title: string;
  cwd: string;
  updated_at: number;
  source: string;
  model: string | null;
  archived: number;
}

interface LineRow {
  position: number;
  offset: number;
  length: number;
  kind: SearchDocKind;
  tool: string | null;
}

interface Found {
  threadId: string;
  fileId: number;
  docIds: number[];
}

/** With a thread filter matching at most this many files, each file's rowid range is searched alone. */
const PER_FILE_MAX = 16;
const MAX_ROWID = Number.MAX_SAFE_INTEGER;
/**
 * Rows of an already-served file walked past before jumping below it with a new MATCH. A prefix term
 * makes every MATCH merge the doclists of all its expansions (milliseconds on a large index), so such
 * queries walk much further before paying for a restart.
 */
const RESTART_AFTER = 256;
const RESTART_AFTER_PREFIX = 16_384;

const escapeLike = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** SQL conditions on `state.threads t` for the thread-level filters; null when there are none. */
function threadConditions(f: Record<FilterField, string[]>): { sql: string; args: string[] } | null {
  const parts: string[] = [];
  const args: string[] = [];
  const anyOf = (values: string[], one: (v: string) => string): void => {
    if (values.length > 0) parts.push(`(${values.map(one).join(' OR ')})`);
  };
  const like = (column: string) => (v: string) => {
    args.push(escapeLike(v));
    return `${column} LIKE ? ESCAPE '\\'`;
  };
  anyOf(f.cwd, like('t.cwd'));
  anyOf(f.model, like("coalesce(t.model, '')"));
  anyOf(f.source, (v) => {
    const s = v.toLowerCase();
    if (s === 'subagent' || s === 'sub-agent') return `t.source LIKE '{"subagent"%'`;
    if (['cli', 'exec', 'vscode', 'mcp', 'unknown'].includes(s)) {
      args.push(s);
      return 't.source = ?';
    }
    return like('t.source')(v);
  });
  return parts.length === 0 ? null : { sql: parts.join(' AND '), args };
}

/**
 * Runs a parsed query. Matching documents are walked newest file first (rowid order, so a page stops
 * early); each matching file gives its first few hits and is then skipped. Thread filters (cwd, model,
 * source) become the set of allowed files up front (a narrow one is searched file by file); `tool:` is
 * joined from the document table. Snippets are cut from the rollout lines of the hits only.
 */
export function createSearchRepo(db: Db) {
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const fileRow = db.prepare('SELECT path, thread_id AS threadId FROM search_files WHERE file_id = ?');
  const runOf = db.prepare(
    'SELECT first_doc AS firstDoc, docs FROM search_doc_runs WHERE first_doc <= ? ORDER BY first_doc DESC LIMIT 1',
  );
  const threadRow = db.prepare(
    'SELECT id, title, cwd, updated_at, source, model, archived FROM state.threads WHERE id = ?',
  );
  // file id → thread id, reloaded when the search DB changed: no other query may run during a walk.
  const fileThreads = db.prepare('SELECT file_id, thread_id FROM search_files').raw();
  const fileCount = db.prepare('SELECT count(*) FROM search_files').pluck();
  let threadOf = new Map<number, string>();
  let threadOfKey = -1;
  const loadFileThreads = (): void => {
    // data_version moves when another connection (the search worker) commits; the count covers ours.
    const key = (db.pragma('data_version', { simple: true }) as number) * 1e7 + (fileCount.get() as number);
    if (key === threadOfKey) return;
    threadOf = new Map(fileThreads.all() as [number, string][]);
    threadOfKey = key;
  };

  const walkStmt = db
    .prepare(
      'SELECT rowid FROM search_docs WHERE search_docs MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid DESC',
    )
    .pluck();

  /** Words search the body column only; `tool:` filters match the tool name's words as a phrase. */
  function matchExpression(q: ParsedQuery): string {
    const body = `{body} : (${q.match})`;
    const tools = q.filters.tool.map((t) => `"${t.replaceAll('"', '""')}"`);
    return tools.length === 0 ? body : `(${body}) AND ({tool} : (${tools.join(' OR ')}))`;
  }

  /** Matching documents, grouped by thread, newest file first; returns the next page's bound. */
  function collect(q: ParsedQuery, opts: SearchOptions, found: Found[]): number | null {
    const match = matchExpression(q);
    const perThread = opts.hitsPerThread ?? 3;
    const restartAfter = q.terms.some((t) => t.prefix) ? RESTART_AFTER_PREFIX : RESTART_AFTER;
    const seen = new Set<string>();
    let allowed: Set<number> | null = null;
    let current: Found | null = null;
    let file = -1;

    /** Walks [lower, upper] downwards; returns the bound for the next page when the page filled up. */
    const walk = (lower: number, upper: number): number | null => {
      let bound = upper;
      for (;;) {
        let skipped = 0;
        let restartAt: number | null = null;
        let stopAt: number | null = null;
        for (const rowid of walkStmt.iterate(match, lower, bound) as IterableIterator<number>) {
          const fileId = fileIdOf(rowid);
          if (fileId !== file) {
            if (found.length >= opts.limit) {
              stopAt = fileId + 1;
              break;
            }
            file = fileId;
            skipped = 0;
            current = null;
            const threadId = threadOf.get(fileId);
            if (threadId && !seen.has(threadId) && (!allowed || allowed.has(fileId))) {
              seen.add(threadId);
              current = { threadId, fileId, docIds: [] };
              found.push(current);
            }
          }
          if (current && current.docIds.length < perThread) current.docIds.push(rowid);
          else if (++skipped > restartAfter) {
            restartAt = firstRowid(fileId) - 1;
            break;
          }
        }
        if (stopAt !== null) return stopAt;
        if (restartAt === null) return null;
        bound = restartAt;
      }
    };

    const upper = opts.beforeFile === null ? MAX_ROWID : firstRowid(opts.beforeFile) - 1;
    const cond = threadConditions(q.filters);
    if (!cond) return walk(0, upper);
    const files = stmt(
      `SELECT s.file_id FROM search_files s JOIN state.threads t ON t.id = s.thread_id
        WHERE ${cond.sql} AND s.file_id < ? ORDER BY s.file_id DESC`,
    )
      .pluck()
      .all(...cond.args, opts.beforeFile ?? MAX_ROWID) as number[];
    if (files.length > PER_FILE_MAX) {
      allowed = new Set(files);
      return walk(0, upper);
    }
    // A narrow filter: search each of its files' rowid range instead of walking every match.
    for (const f of files) {
      if (found.length >= opts.limit) return f + 1;
      walk(firstRowid(f), Math.min(upper, lastRowid(f)));
    }
    return null;
  }

  const runCache = new Map<number, DocRunEntry[]>();
  /** Where a document's line is, from its file's run of documents. */
  function lineOf(docId: number): LineRow | null {
    const run = runOf.get(docId) as { firstDoc: number; docs: string } | undefined;
    if (!run) return null;
    let entries = runCache.get(run.firstDoc);
    if (!entries) {
      entries = JSON.parse(run.docs) as DocRunEntry[];
      runCache.set(run.firstDoc, entries);
    }
    const e = entries[docId - run.firstDoc];
    return e ? { position: e[0], offset: e[1], length: e[2], kind: e[3], tool: e[4] } : null;
  }

  /** Thread metadata and snippets for what `collect` found; a thread gone from the state DB is dropped. */
  async function present(q: ParsedQuery, found: Found[]): Promise<SearchThread[]> {
    const terms = highlightTermsOf(q);
    const budget = { bytes: SNIPPET_READ_BUDGET };
    const out: SearchThread[] = [];
    let rank = 0;
    for (const f of found) {
      const meta = threadRow.get(f.threadId) as ThreadRow | undefined;
      const file = fileRow.get(f.fileId) as { path: string; threadId: string } | undefined;
      if (!meta || !file || f.docIds.length === 0) continue;
      const lines = f.docIds
        .map(lineOf)
        .filter((l): l is LineRow => l !== null)
        .sort((a, b) => a.position - b.position);
      const hits = [];
      for (const l of lines) {
        const text = await readHitText(
          { path: file.path, position: l.position, offset: l.offset, length: l.length },
          budget,
        );
        hits.push({
          threadId: meta.id,
          position: l.position,
          kind: l.kind,
          toolName: l.tool,
          snippet: text === null ? '' : cutSnippet(text, terms),
          rank: rank++,
        });
      }
      out.push({
        id: meta.id,
        title: meta.title,
        cwd: meta.cwd,
        updatedAt: meta.updated_at,
        source: meta.source,
        model: meta.model,
        archived: meta.archived !== 0,
        hits,
      });
    }
    return out;
  }

  async function run(q: ParsedQuery, opts: SearchOptions): Promise<SearchPage> {
    if (q.match === null) return { threads: [], nextFile: null };
    loadFileThreads();
    runCache.clear();
    const found: Found[] = [];
    let nextFile: number | null;
    try {
      nextFile = collect(q, opts, found);
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_ERROR'))
        throw new AppError('INVALID_INPUT', `Cannot search for that: ${(err as Error).message}`);
      throw err;
    }
    return { threads: await present(q, found), nextFile };
  }

  return { run };
}

export type SearchRepo = ReturnType<typeof createSearchRepo>;
