import type { Db } from '../state/connection.ts';
import type { DocKind } from './doc-extract.ts';
import type { DocColumns } from './file-docs.ts';

/** Documents per file are numbered within the file's rowid range: rowid = file_id * 2^22 + seq. */
export const SEQ_BITS = 22;
export const SEQ_SPAN = 2 ** SEQ_BITS;
/** First file id handed out while the index is built (downwards), see allocation in search-indexer. */
export const FILE_ID_BASE = 2 ** 29;

/**
 * Attaches the state DB as `state` (threads, rollout_files) to a search connection. The state DB is
 * only ever read through it: this connection never writes to `state.*`. (better-sqlite3 is built
 * without URI filenames, so `mode=ro` is not available for ATTACH.)
 */
export function attachState(db: Db, stateDbFile: string): void {
  db.prepare('ATTACH DATABASE ? AS state').run(stateDbFile);
}

export const fileIdOf = (rowid: number): number => Math.floor(rowid / SEQ_SPAN);
export const firstRowid = (fileId: number): number => fileId * SEQ_SPAN;
export const lastRowid = (fileId: number): number => fileId * SEQ_SPAN + SEQ_SPAN - 1;

/** One document of a `search_doc_runs` row: [position, byte_offset, byte_length, kind, tool]. */
export type DocRunEntry = [
  position: number,
  offset: number,
  length: number,
  kind: DocKind,
  tool: string | null,
];

export interface SearchFileRow {
  fileId: number;
  path: string;
  threadId: string;
  size: number;
  mtimeMs: number;
  byteOffset: number;
  linesDone: number;
  nextSeq: number;
  docs: number;
  calls: [string, string][];
}

/** A rollout the state DB knows that the index does not cover as of its current (size, mtime). */
export interface StaleFile {
  path: string;
  threadId: string;
  size: number;
  mtimeMs: number;
  indexed: SearchFileRow | null;
}

export interface Coverage {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

interface FileDbRow {
  file_id: number;
  path: string;
  thread_id: string;
  size: number;
  mtime_ms: number;
  byte_offset: number;
  lines_done: number;
  next_seq: number;
  docs: number;
  pending_calls: string | null;
}

const toFile = (r: FileDbRow): SearchFileRow => ({
  fileId: r.file_id,
  path: r.path,
  threadId: r.thread_id,
  size: r.size,
  mtimeMs: r.mtime_ms,
  byteOffset: r.byte_offset,
  linesDone: r.lines_done,
  nextSeq: r.next_seq,
  docs: r.docs,
  calls: r.pending_calls ? (JSON.parse(r.pending_calls) as [string, string][]) : [],
});

// Files the ingest has a thread for; problem files (unreadable, no metadata) are left out.
const INGESTED = `state.rollout_files r WHERE r.thread_id IS NOT NULL AND r.problem IS NULL`;

/** SQL over the search DB (with the state DB attached as `state`). Statements are prepared once. */
export function createSearchFilesRepo(db: Db) {
  const stale = db.prepare(
    `SELECT r.path AS r_path, r.thread_id AS r_thread_id, r.size AS r_size, r.mtime_ms AS r_mtime_ms, s.*
       FROM state.rollout_files r
       LEFT JOIN search_files s ON s.path = r.path
       LEFT JOIN state.threads t ON t.id = r.thread_id
      WHERE r.thread_id IS NOT NULL AND r.problem IS NULL
        AND (s.file_id IS NULL OR s.size != r.size OR s.mtime_ms != r.mtime_ms OR s.thread_id != r.thread_id)
      ORDER BY t.updated_at DESC, r.path`,
  );
  const removed = db.prepare(
    `SELECT s.file_id AS fileId, s.path FROM search_files s
      WHERE NOT EXISTS (SELECT 1 FROM ${INGESTED} AND r.path = s.path)`,
  );
  const coverage = db.prepare(
    `SELECT
       (SELECT count(*) FROM ${INGESTED}) AS filesTotal,
       (SELECT coalesce(sum(r.size), 0) FROM ${INGESTED}) AS bytesTotal,
       (SELECT count(*) FROM search_files s JOIN state.rollout_files r ON r.path = s.path
         WHERE s.size = r.size AND s.mtime_ms = r.mtime_ms) AS filesDone,
       (SELECT coalesce(sum(min(s.byte_offset, r.size)), 0) FROM search_files s
         JOIN state.rollout_files r ON r.path = s.path) AS bytesDone`,
  );
  const idRange = db.prepare('SELECT min(file_id) AS lo, max(file_id) AS hi FROM search_files');
  const put = db.prepare(
    `INSERT INTO search_files (file_id, path, thread_id, size, mtime_ms, byte_offset, lines_done, next_seq, docs, pending_calls)
     VALUES (@fileId, @path, @threadId, @size, @mtimeMs, @byteOffset, @linesDone, @nextSeq, @docs, @calls)
     ON CONFLICT(file_id) DO UPDATE SET path = excluded.path, thread_id = excluded.thread_id, size = excluded.size,
       mtime_ms = excluded.mtime_ms, byte_offset = excluded.byte_offset, lines_done = excluded.lines_done,
       next_seq = excluded.next_seq, docs = excluded.docs, pending_calls = excluded.pending_calls`,
  );
  const insertDoc = db.prepare('INSERT INTO search_docs (rowid, body, tool) VALUES (?, ?, ?)');
  const insertRun = db.prepare('INSERT INTO search_doc_runs (first_doc, docs) VALUES (?, ?)');
  const deleteDocs = db.prepare('DELETE FROM search_docs WHERE rowid BETWEEN ? AND ?');
  const deleteRuns = db.prepare('DELETE FROM search_doc_runs WHERE first_doc BETWEEN ? AND ?');
  const deleteFile = db.prepare('DELETE FROM search_files WHERE file_id = ?');
  const getMeta = db.prepare('SELECT value FROM search_meta WHERE key = ?').pluck();
  const setMeta = db.prepare(
    'INSERT INTO search_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );

  return {
    stale(): StaleFile[] {
      type Row = FileDbRow & { r_path: string; r_thread_id: string; r_size: number; r_mtime_ms: number };
      return (stale.all() as Row[]).map((r) => ({
        path: r.r_path,
        threadId: r.r_thread_id,
        size: r.r_size,
        mtimeMs: r.r_mtime_ms,
        indexed: r.file_id === null ? null : toFile(r),
      }));
    },
    removed: (): { fileId: number; path: string }[] => removed.all() as { fileId: number; path: string }[],
    coverage: (): Coverage => coverage.get() as Coverage,
    idRange: (): { lo: number | null; hi: number | null } =>
      idRange.get() as { lo: number | null; hi: number | null },
    put(f: SearchFileRow): void {
      put.run({ ...f, calls: f.calls.length > 0 ? JSON.stringify(f.calls) : null });
    },
    /** Inserts docs numbered from `seq`; returns the next free seq (docs past the file's range are dropped). */
    insertDocs(fileId: number, seq: number, docs: DocColumns): number {
      const base = firstRowid(fileId);
      const n = Math.min(docs.count, SEQ_SPAN - seq);
      if (n <= 0) return seq;
      for (let i = 0; i < n; i++) insertDoc.run(base + seq + i, docs.bodies[i], docs.tools[i]);
      const run =
        n === docs.count ? docs.run : JSON.stringify((JSON.parse(docs.run) as DocRunEntry[]).slice(0, n));
      insertRun.run(base + seq, run);
      return seq + n;
    },
    clearDocs(fileId: number): void {
      deleteDocs.run(firstRowid(fileId), lastRowid(fileId));
      deleteRuns.run(firstRowid(fileId), lastRowid(fileId));
    },
    removeFile(fileId: number): void {
      deleteDocs.run(firstRowid(fileId), lastRowid(fileId));
      deleteRuns.run(firstRowid(fileId), lastRowid(fileId));
      deleteFile.run(fileId);
    },
    /** FTS5 `automerge` (0: segments are only merged when a level overflows, see search-indexer). */
    setAutomerge(segments: number): void {
      db.exec(`INSERT INTO search_docs (search_docs, rank) VALUES ('automerge', ${Math.trunc(segments)})`);
    },
    meta: (key: string): string | null => (getMeta.get(key) as string | undefined) ?? null,
    setMeta: (key: string, value: string): void => {
      setMeta.run(key, value);
    },
  };
}

export type SearchFilesRepo = ReturnType<typeof createSearchFilesRepo>;
