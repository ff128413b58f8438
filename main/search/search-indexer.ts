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
   * Rollout bytes that may be in flight: enough that a helper thread keeps reading while the writer
   * commits, without holding much of the corpus in memory.
   */
  readonly bytesInFlight?: number;
  /** Called after each commit of the index (the worker's helper checkpoints the WAL then). */
  afterCommit?(): void;
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
  /** Rollout bytes read per transaction (small on the main thread, large on a worker). */
  bytesPerCommit?: number;
  /**
   * Nothing else uses `db` (the search worker's own connection): a transaction may stay open while
   * reads are awaited. Otherwise each file is committed before the next wait.
   */
  ownsConnection?: boolean;
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
/** FTS5 `automerge` once the index is built (as the migration sets it). */
const AUTOMERGE = 8;

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
  const bytesPerCommit = deps.bytesPerCommit ?? 8 * 1024 * 1024;
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

  /** Writes one file's documents and its row (inside the caller's transaction). */
  function apply({ file, fileId, docs }: Outcome, summary: SyncSummary): void {
    if (!docs) return;
    if (file.indexed && docs.restarted) repo.clearDocs(fileId);
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

  const unread = (f: StaleFile): number => Math.max(0, f.size - (f.indexed?.byteOffset ?? 0));

  /**
   * The order files are read in: runs of about `bytesPerCommit` rollout bytes, newest first, each run
   * read in rowid (file id) order. FTS5 keeps pending terms in memory only while rowids ascend (one
   * lower rowid flushes them as a new segment), so a run streams into one transaction as it is read:
   * nothing waits in this thread's heap to be sorted. The first runs are small so the newest threads
   * are searchable early.
   */
  function plan(stale: StaleFile[], idOf: (f: StaleFile) => number): StaleFile[][] {
    const runs: StaleFile[][] = [];
    let limit = Math.max(1, Math.ceil(bytesPerCommit / 16));
    let run: StaleFile[] = [];
    let bytes = 0;
    for (const f of stale) {
      run.push(f);
      bytes += unread(f);
      if (bytes >= limit) {
        runs.push(run);
        run = [];
        bytes = 0;
        limit = Math.min(bytesPerCommit, limit * 2);
      }
    }
    if (run.length > 0) runs.push(run);
    for (const r of runs) r.sort((a, b) => idOf(a) - idOf(b));
    return runs;
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
    const idOf = (f: StaleFile): number => f.indexed?.fileId ?? ids.get(f.path)!;
    report({ state: stale.length > 0 ? 'building' : 'idle', ...repo.coverage() }, true);

    // The first build writes a few large segments (one per run, or per 32 MiB of pending terms):
    // merging them while they are written would rewrite most of the index once more for little
    // gain, so only a level's overflow (`crisismerge`, 16 segments) merges then. Afterwards small
    // syncs add small segments, which automerge keeps few.
    const building = repo.meta(BUILD_COMPLETE) !== '1';
    if (building && stale.length > 0) repo.setAutomerge(0);
    const runs = plan(stale, idOf);
    const order = runs.flat();
    // Index in `order` of the last file of each run: the transaction commits after it.
    const runEnds = new Set<number>();
    let end = -1;
    for (const r of runs) runEnds.add((end += r.length));

    const inflight: Promise<Outcome>[] = [];
    const maxBytes = source.bytesInFlight ?? Infinity;
    let bytes = 0;
    let next = 0;
    const launch = (): void => {
      // Refilled in bursts, from half-empty: one request message per burst, not one per file.
      if (inflight.length > 0 && bytes > maxBytes / 2) return;
      while (
        !stopping &&
        inflight.length < source.concurrency &&
        next < order.length &&
        (inflight.length === 0 || bytes < maxBytes)
      ) {
        const file = order[next++]!;
        bytes += unread(file);
        inflight.push(read(file, idOf(file)));
      }
    };
    let open = false;
    let done = 0;
    let fresh = 0;
    let freshBytes = 0;
    const commit = (): void => {
      if (open) {
        db.exec('COMMIT');
        open = false;
        source.afterCommit?.();
      }
      report({ filesDone: progress.filesDone + fresh, bytesDone: progress.bytesDone + freshBytes });
      fresh = 0;
      freshBytes = 0;
    };
    launch();
    try {
      while (inflight.length > 0) {
        // Another user of the connection must not see (or join) a transaction left open across a wait.
        if (open && !deps.ownsConnection) commit();
        const outcome = await inflight.shift()!;
        bytes -= unread(outcome.file);
        launch();
        if (outcome.error !== null)
          summary.failures.push({ path: outcome.file.path, message: outcome.error });
        else if (outcome.docs) {
          summary.filesIndexed++;
          summary.bytesRead += outcome.docs.bytesRead;
          if (!open) db.exec('BEGIN');
          open = true;
          apply(outcome, summary);
          if (!outcome.file.indexed) fresh++;
          freshBytes += outcome.docs.bytesRead;
        }
        // Closing: what is written stays; reads still in flight are dropped and redone next time.
        if (runEnds.has(done++) || inflight.length === 0 || stopping) commit();
        if (stopping) break;
        await slicer.maybeYield();
      }
    } finally {
      if (open && db.inTransaction) db.exec('ROLLBACK');
    }
    // Files that failed are retried by the next sync, as newer files (ids upwards).
    if (!stopping && building) {
      repo.setAutomerge(AUTOMERGE);
      repo.setMeta(BUILD_COMPLETE, '1');
    }
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
