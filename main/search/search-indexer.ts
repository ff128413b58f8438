import type { SearchProgress } from '../../preload/contract/search.ts';
import type { Slicer } from '../core/time-slice.ts';
import { SerialQueue } from '../ingest/serial-queue.ts';
import type { Db } from '../state/connection.ts';
import { readFileDocs, toColumns, type FileJob, type ReadDocs } from './file-docs.ts';
import {
  createSearchFilesRepo,
  FILE_ID_BASE,
  type SearchFileRow,
  type StaleFile,
} from './search-files-repo.ts';

/** Where files are read into documents: on this thread, or on a helper worker. */
export interface DocSource {
  read(job: FileJob): Promise<ReadDocs>;
  /** How many reads may usefully be in flight. */
  readonly concurrency: number;
  /**
   * Rollout bytes that may be in flight: a helper thread must stay a whole commit ahead of the writer
   * (or it idles while the writer is inside a transaction), without holding the corpus in memory.
   */
  readonly bytesInFlight?: number;
  close(): Promise<void>;
}

export const inlineDocSource = (slicer: Slicer): DocSource => ({
  read: async (job) => toColumns(await readFileDocs(job, slicer)),
  concurrency: 1,
  close: async () => {},
});

export interface SearchIndexerDeps {
  /** The search DB's write connection, with the state DB attached as `state`. */
  db: Db;
  slicer: Slicer;
  source?: DocSource;
  /** Documents written per transaction (small on the main thread, large on a worker). */
  docsPerCommit?: number;
  onProgress?: (p: SearchProgress) => void;
}

export interface SyncSummary {
  filesIndexed: number;
  filesRemoved: number;
  docsAdded: number;
  bytesRead: number;
  failures: { path: string; message: string }[];
  durationMs: number;
}

export interface SearchIndexer {
  /** Brings the index in line with the state DB's rollout files: new, grown, replaced and removed ones. */
  sync(): Promise<SyncSummary>;
  progress(): SearchProgress;
  idle(): Promise<void>;
  close(): Promise<void>;
}

const BUILD_COMPLETE = 'build_complete';

interface Outcome {
  file: StaleFile;
  fileId: number;
  docs: ReadDocs | null;
  error: string | null;
}

/**
 * Keeps the FTS index current. Files are read newest thread first and their ids handed out so that
 * rowid order is recency order: while the first build runs, downwards from FILE_ID_BASE (newest first),
 * afterwards upwards (a file seen later is newer than all indexed). A grown file resumes at its last
 * indexed line; a replaced or truncated one is re-read whole under the same id.
 */
export function createSearchIndexer(deps: SearchIndexerDeps): SearchIndexer {
  const { db, slicer } = deps;
  const repo = createSearchFilesRepo(db);
  const source = deps.source ?? inlineDocSource(slicer);
  const docsPerCommit = deps.docsPerCommit ?? 2_000;
  const queue = new SerialQueue();
  let progress: SearchProgress = { state: 'idle', ...repo.coverage() };
  let lastEmit = 0;
  let stopping = false;

  function report(patch: Partial<SearchProgress>, force = false): void {
    progress = { ...progress, ...patch };
    const t = performance.now();
    if (!force && t - lastEmit < 250) return;
    lastEmit = t;
    deps.onProgress?.(progress);
  }

  function allocator(fresh: StaleFile[]): Map<string, number> {
    const ids = new Map<string, number>();
    const { lo, hi } = repo.idRange();
    if (repo.meta(BUILD_COMPLETE) !== '1') {
      let next = (lo ?? FILE_ID_BASE) - 1;
      for (const f of fresh) ids.set(f.path, next--);
    } else {
      let next = (hi ?? FILE_ID_BASE) + 1;
      for (let i = fresh.length - 1; i >= 0; i--) ids.set(fresh[i]!.path, next++);
    }
    return ids;
  }

  async function read(file: StaleFile, fileId: number): Promise<Outcome> {
    const i = file.indexed;
    // A changed thread id means the path now holds another thread: read it again from the start.
    const resume = i && i.threadId === file.threadId;
    try {
      const docs = await source.read({
        path: file.path,
        fromOffset: resume ? i.byteOffset : 0,
        linesDone: resume ? i.linesDone : 0,
        calls: resume ? i.calls : [],
      });
      if (i && !resume) docs.restarted = true;
      return { file, fileId, docs, error: null };
    } catch (err) {
      return { file, fileId, docs: null, error: (err as Error).message || String(err) };
    }
  }

  function write(batch: Outcome[], summary: SyncSummary): void {
    // FTS5 keeps pending terms in memory only while rowids ascend: one lower rowid flushes them as a new
    // segment. So a transaction deletes first, then inserts in rowid (file id) order, whatever order the
    // files were read in.
    const ordered = batch.filter((o) => o.docs).sort((a, b) => a.fileId - b.fileId);
    db.transaction(() => {
      for (const { file, fileId, docs } of ordered)
        if (file.indexed && docs?.restarted) repo.clearDocs(fileId);
      for (const { file, fileId, docs } of ordered) {
        if (!docs) continue;
        const before = file.indexed && !docs.restarted ? file.indexed : null;
        const nextSeq = repo.insertDocs(fileId, before?.nextSeq ?? 0, docs.columns);
        const row: SearchFileRow = {
          fileId,
          path: file.path,
          threadId: file.threadId,
          // The state DB's stamp: the file is current until the ingest records another one.
          size: file.size,
          mtimeMs: file.mtimeMs,
          byteOffset: docs.byteOffset,
          linesDone: docs.linesDone,
          nextSeq,
          docs: (before?.docs ?? 0) + docs.columns.count,
          calls: docs.calls,
        };
        repo.put(row);
        summary.docsAdded += docs.columns.count;
      }
    })();
  }

  async function sync(): Promise<SyncSummary> {
    const started = performance.now();
    const summary: SyncSummary = {
      filesIndexed: 0,
      filesRemoved: 0,
      docsAdded: 0,
      bytesRead: 0,
      failures: [],
      durationMs: 0,
    };
    const removed = repo.removed();
    if (removed.length > 0) {
      db.transaction(() => {
        for (const r of removed) repo.removeFile(r.fileId);
      })();
      summary.filesRemoved = removed.length;
    }
    const stale = repo.stale();
    const ids = allocator(stale.filter((f) => !f.indexed));
    report({ state: stale.length > 0 ? 'building' : 'idle', ...repo.coverage() }, true);

    const inflight: Promise<Outcome>[] = [];
    const maxBytes = source.bytesInFlight ?? Infinity;
    let bytes = 0;
    let next = 0;
    const launch = (): void => {
      while (
        !stopping &&
        inflight.length < source.concurrency &&
        next < stale.length &&
        (inflight.length === 0 || bytes < maxBytes)
      ) {
        const file = stale[next++]!;
        bytes += Math.max(0, file.size - (file.indexed?.byteOffset ?? 0));
        inflight.push(read(file, file.indexed?.fileId ?? ids.get(file.path)!));
      }
    };
    let batch: Outcome[] = [];
    let batchDocs = 0;
    // The writer idles until the first batch is read: start small and grow, so it starts early.
    let commitAt = Math.max(1, Math.ceil(docsPerCommit / 16));
    launch();
    while (inflight.length > 0) {
      const outcome = await inflight.shift()!;
      bytes -= Math.max(0, outcome.file.size - (outcome.file.indexed?.byteOffset ?? 0));
      launch();
      if (outcome.error !== null) summary.failures.push({ path: outcome.file.path, message: outcome.error });
      else {
        summary.filesIndexed++;
        summary.bytesRead += outcome.docs?.bytesRead ?? 0;
      }
      batch.push(outcome);
      batchDocs += outcome.docs?.columns.count ?? 0;
      if (batchDocs >= commitAt || inflight.length === 0 || stopping) {
        commitAt = Math.min(docsPerCommit, commitAt * 2);
        write(batch, summary);
        const fresh = batch.filter((o) => !o.file.indexed && o.docs).length;
        const bytes = batch.reduce((n, o) => n + (o.docs ? o.docs.bytesRead : 0), 0);
        report({ filesDone: progress.filesDone + fresh, bytesDone: progress.bytesDone + bytes });
        batch = [];
        batchDocs = 0;
      }
      // Closing: what is committed stays; reads still in flight are dropped and redone next time.
      if (stopping) break;
      await slicer.maybeYield();
    }
    // Files that failed are retried by the next sync, as newer files (ids upwards).
    if (!stopping && repo.meta(BUILD_COMPLETE) !== '1') repo.setMeta(BUILD_COMPLETE, '1');
    summary.durationMs = performance.now() - started;
    report({ state: 'idle', ...repo.coverage() }, true);
    return summary;
  }

  return {
    sync: () => queue.run(sync),
    progress: () => progress,
    idle: () => queue.drain(),
    /** Stops a running sync after its current batch (a long first build must not hold up quitting). */
    async close() {
      stopping = true;
      await queue.drain();
      await source.close();
    },
  };
}
