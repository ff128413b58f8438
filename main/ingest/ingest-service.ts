import { statSync } from 'node:fs';
import type { IngestProgress, IngestSummary } from '../../preload/contract/index.ts';
import type { Slicer } from '../core/time-slice.ts';
import { discoverRollouts, sortByWatermark, withNameId } from '../rollouts/discover.ts';
import { unpackFoldState } from '../rollouts/packed-state.ts';
import type { DiscoveredRollout, FoldState } from '../rollouts/types.ts';
import { createBackfillRepo, type BackfillRepo } from '../state/backfill-repo.ts';
import { BULK_LOAD_MIN_FILES, createBulkIndexes, isBulkLoad } from '../state/bulk-indexes.ts';
import type { Db } from '../state/connection.ts';
import { createRolloutFileRepo } from '../state/rollout-file-repo.ts';
import { RolloutStamps } from '../state/rollout-stamps.ts';
import { createThreadRepo, threadToMeta } from '../state/thread-repo.ts';
import { applyRolloutMove, type RolloutMove } from '../threads/thread-archive.ts';
import { applyGitPatch, type GitPatch } from '../threads/thread-metadata.ts';
import { createTitleIndex, TITLE_INDEX_DEFER_FILES } from '../state/title-index.ts';
import { inlineExtractPool, type ExtractPool, type PooledExtract } from './extract-pool.ts';
import { idleProgress as idle, type EventSink, type IngestApi, type ScanPathsOptions } from './ingest-api.ts';
import { createMemoryIngest } from './memory-ingest.ts';
import { describeRolloutPath } from './rollout-path.ts';
import { SerialQueue } from './serial-queue.ts';

/** Seed §3.6: files are processed and checkpointed in batches of 200. */
export const BATCH_SIZE = 200;

export interface IngestDeps {
  db: Db;
  codexHome: string;
  defaultProvider: string;
  slicer: Slicer;
  /** Where rollouts are read and folded; default: on this thread, time-sliced. */
  pool?: ExtractPool;
  bus?: EventSink;
  backfillLeaseSeconds?: number;
  /**
   * Checkpointed batches written per transaction. 1 on the main thread keeps each commit short; a
   * worker groups several (each batch still checkpoints its own watermark) to cut write overhead.
   */
  batchesPerCommit?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Runs with at least this many files to read suspend the title index and rebuild it after. */
  deferTitleIndexAt?: number;
  /** Minimum files for a bulk load (secondary indexes dropped and rebuilt); see isBulkLoad. */
  bulkLoadMinFiles?: number;
  /**
   * `memories.no_memories_if_mcp_or_web_search`, asked once per run when a rollout has an MCP or web
   * search call (see pollutionRuleFromSettings); default off.
   */
  pollutionRule?: () => boolean;
}

interface Outcome {
  entry: DiscoveredRollout;
  /** The file had an ingest record when the run started. */
  known: boolean;
  result: PooledExtract | null;
  error: string | null;
}

const now = (): number => Math.floor(Date.now() / 1000);

const changed = (entry: DiscoveredRollout, stamps: RolloutStamps): boolean =>
  !stamps.isUnchanged(entry.path, entry.size, entry.mtimeMs);

/**
 * Rollouts → state DB. The first run is the seed's leased, watermarked backfill; every later run
 * (start-up, watcher, manual re-scan) compares (size, mtime) with what was ingested and re-reads only
 * changed files, resuming appended ones from their last complete line. All runs are serialised.
 */
export function createIngestService(deps: IngestDeps): IngestApi {
  const { db, codexHome, slicer } = deps;
  const threads = createThreadRepo(db);
  const files = createRolloutFileRepo(db);
  const backfill: BackfillRepo = createBackfillRepo(db, deps.backfillLeaseSeconds);
  const titleIndex = createTitleIndex(db);
  const bulkIndexes = createBulkIndexes(db);
  const memory = createMemoryIngest(db, deps.pollutionRule ?? (() => false));
  const queue = new SerialQueue();
  const pool = deps.pool ?? inlineExtractPool(slicer);
  let progress = idle();
  let lastEmit = 0;
  let watching = false;
  const restPhase = (): IngestProgress['phase'] => (watching ? 'watching' : 'idle');

  function report(patch: Partial<IngestProgress>, force = false): void {
    progress = { ...progress, ...patch };
    const t = performance.now();
    if (!force && t - lastEmit < 100) return;
    lastEmit = t;
    deps.onProgress?.(progress);
    deps.bus?.emit('ingest:progress', progress);
  }

  /** `knownSize`: the size at the last ingest, if any (an appended file resumes from its saved state). */
  async function extract(
    entry: DiscoveredRollout,
    knownSize: number | undefined,
    known: boolean,
  ): Promise<Outcome> {
    try {
      let resume: { offset: number; state: FoldState } | undefined;
      if (knownSize !== undefined && !entry.compressed && entry.size > knownSize) {
        const rec = files.get(entry.path);
        if (rec?.foldState && rec.byteOffset > 0 && !rec.problem && rec.byteOffset <= entry.size) {
          const row = rec.threadId ? threads.get(rec.threadId) : null;
          // The row must be this file's: with the same id in two files, re-read instead of guessing.
          const meta = row && row.rolloutPath === entry.path ? threadToMeta(row) : null;
          const state = unpackFoldState(rec.foldState, meta);
          if (state) resume = { offset: rec.byteOffset, state };
        }
      }
      const result = await pool.extract(entry.path, {
        archived: entry.archived,
        defaultProvider: deps.defaultProvider,
        ...(resume ? { resume } : {}),
      });
      return { entry, known, result, error: null };
    } catch (err) {
      return { entry, known, result: null, error: (err as Error).message || String(err) };
    }
  }

  /** Writes one batch in a single short transaction; returns the ids of upserted threads. */
  function commit(outcomes: Outcome[]): { ids: string[]; problems: number } {
    const at = now();
    const ids: string[] = [];
    let problems = 0;
    db.transaction(() => {
      for (const { entry, known, result, error } of outcomes) {
        const problem = error ?? result?.problem ?? null;
        const meta = result?.meta ?? null;
        if (result && meta) {
          // Before the upsert and files.put: the plan compares with what the last ingest stored.
          const plan = memory.plan(entry.path, meta.id, known, result);
          threads.upsert({ meta, memoryMode: plan.memoryMode, dynamicTools: result.dynamicTools });
          memory.record(meta.id, plan, at);
          ids.push(meta.id);
        }
        if (problem && !meta) problems += 1;
        files.put(
          {
            path: entry.path,
            threadId: meta?.id ?? entry.idFromName,
            archived: entry.archived,
            // The reader's own stat describes exactly the bytes the stored offset/state cover.
            size: result?.size ?? entry.size,
            mtimeMs: result?.mtimeMs ?? entry.mtimeMs,
            byteOffset: result?.offset ?? 0,
            foldState: result?.state ?? null,
            parseErrors: result?.parseErrors ?? 0,
            problem: meta ? null : problem,
          },
          at,
        );
      }
    })();
    return { ids, problems };
  }

  function removeMissing(paths: string[]): string[] {
    const removed: string[] = [];
    db.transaction(() => {
      for (const path of paths) {
        const threadId = files.threadIdOf(path);
        files.delete(path);
        if (!threadId) continue;
        const t = threads.get(threadId);
        // A moved file (archive/unarchive) is re-pointed by the new path's ingest; only a thread
        // whose last file is gone disappears, as the seed's list_threads_db does (#11572).
        if (t && t.rolloutPath === path && !files.threadHasOtherFile(threadId, path)) {
          threads.delete(threadId);
          removed.push(threadId);
        }
      }
    })();
    return removed;
  }

  /**
   * Extracts with up to `pool.concurrency` files in flight, consuming results in path order so a
   * checkpointed watermark always covers only committed files; commits every BATCH_SIZE files.
   */
  async function process(
    entries: DiscoveredRollout[],
    stamps: RolloutStamps,
    summary: IngestSummary,
    checkpoint: ((watermark: string) => void) | null,
    known: RolloutStamps = stamps,
  ): Promise<void> {
    const inflight: Promise<Outcome>[] = [];
    let next = 0;
    const launch = (): void => {
      while (inflight.length < pool.concurrency && next < entries.length) {
        const entry = entries[next++] as DiscoveredRollout;
        inflight.push(extract(entry, stamps.sizeOf(entry.path), known.has(entry.path)));
      }
    };
    const groupSize = BATCH_SIZE * Math.max(1, deps.batchesPerCommit ?? 1);
    let group: Outcome[] = [];
    launch();
    while (inflight.length > 0) {
      const outcome = await (inflight.shift() as Promise<Outcome>);
      launch();
      group.push(outcome);
      report({
        filesDone: progress.filesDone + 1,
        bytesDone: progress.bytesDone + Math.max(0, outcome.result?.size ?? outcome.entry.size),
      });
      if (group.length >= groupSize || inflight.length === 0) {
        const batches = group;
        const ids: string[] = [];
        db.transaction(() => {
          for (let i = 0; i < batches.length; i += BATCH_SIZE)
            ids.push(...flush(batches.slice(i, i + BATCH_SIZE), summary, checkpoint));
        })();
        // Only after the commit: a listener that reads the threads at once must see them.
        for (let i = 0; i < ids.length; i += 500)
          deps.bus?.emit('threads:changed', { ids: ids.slice(i, i + 500), all: false });
        group = [];
      }
      await slicer.maybeYield();
    }
  }

  /** Commits one checkpointed batch (inside the caller's transaction); returns the upserted thread ids. */
  function flush(
    batch: Outcome[],
    summary: IngestSummary,
    checkpoint: ((watermark: string) => void) | null,
  ): string[] {
    const { ids, problems } = commit(batch);
    for (const o of batch) {
      const p = o.error ?? o.result?.problem;
      if (p && !o.result?.meta)
        summary.problems.push({ path: o.entry.path, threadId: o.entry.idFromName, message: p, at: now() });
    }
    summary.filesIngested += batch.length;
    summary.threadsUpserted += ids.length;
    report(
      { threadsUpserted: progress.threadsUpserted + ids.length, problems: progress.problems + problems },
      true,
    );
    const last = batch.at(-1);
    if (checkpoint && last) checkpoint(last.entry.watermark);
    return ids;
  }

  function emptySummary(): IngestSummary {
    return {
      filesSeen: 0,
      filesIngested: 0,
      filesUnchanged: 0,
      filesRemoved: 0,
      threadsUpserted: 0,
      problems: [],
      durationMs: 0,
    };
  }

  /** Full scan: the backfill the first time, an incremental re-scan afterwards. */
  async function scanAll(): Promise<IngestSummary> {
    const started = performance.now();
    const summary = emptySummary();
    memory.startRun();
    progress = idle();
    report({ phase: 'discovering' }, true);
    const stamps = files.stamps();
    // Nothing ingested yet: every file will be read, so boot the extract threads during discovery.
    if (stamps.count === 0) pool.warm();
    const state = backfill.get();
    // Nothing ingested yet: every file will be read, so sizes can come from the readers.
    const discovered = await discoverRollouts(codexHome, slicer, {
      stat: stamps.count > 0,
      sorted: false,
      ids: false,
    });
    const ownsBackfill = state.status !== 'complete' && backfill.tryClaim();
    const todo: DiscoveredRollout[] = [];
    let known = 0;
    for (const entry of discovered) {
      if (stamps.has(entry.path)) known++;
      const skipByWatermark =
        ownsBackfill && state.lastWatermark !== null && entry.watermark <= state.lastWatermark;
      if (!skipByWatermark && changed(entry, stamps)) todo.push(entry);
    }
    // Watermark order (seed §3.6) for what will be read; the skipped majority is never sorted.
    sortByWatermark(todo);
    for (let i = 0; i < todo.length; i++) todo[i] = withNameId(todo[i]!);
    summary.filesSeen = discovered.length;
    summary.filesUnchanged = discovered.length - todo.length;
    report(
      {
        phase: 'ingesting',
        filesTotal: todo.length,
        // Unknown (0) when discovery skipped stat; the UI then shows progress by files.
        bytesTotal: todo.every((e) => e.size >= 0) ? todo.reduce((n, e) => n + e.size, 0) : 0,
      },
      true,
    );
    if (todo.length >= (deps.deferTitleIndexAt ?? TITLE_INDEX_DEFER_FILES)) titleIndex.suspend();
    // Left dropped by a run that died mid-load, or dropped now for this one: rebuilt right after it.
    bulkIndexes.restore();
    if (isBulkLoad(todo.length, stamps.count, deps.bulkLoadMinFiles)) bulkIndexes.suspend();
    try {
      await process(todo, stamps, summary, ownsBackfill ? (w) => backfill.checkpoint(w) : null);
    } finally {
      bulkIndexes.restore();
      // A large run leaves nothing for the extract threads to do for a while: give their memory back
      // now (the content index build follows) rather than after the idle timeout.
      if (todo.length >= BULK_LOAD_MIN_FILES) pool.trim();
    }
    // Suspended above, or by a run that died before its rebuild: rebuild next, after this result is out.
    if (!titleIndex.isReady()) void queue.run(async () => titleIndex.rebuild());
    // Every known file was seen again (the usual case) unless fewer of them turned up than are known.
    const missing = known === stamps.count ? [] : stamps.missingFrom(new Set(discovered.map((e) => e.path)));
    const removed = removeMissing(missing);
    summary.filesRemoved = missing.length;
    if (removed.length > 0)
      deps.bus?.emit('threads:changed', { ids: removed.slice(0, 500), all: removed.length > 500 });
    if (ownsBackfill) backfill.markComplete(todo.at(-1)?.watermark ?? null);
    if (todo.length > 0 || missing.length > 0) {
      // Without statistics the planner ignores the cwd/model indexes and scans every thread for a
      // filtered list; a bounded ANALYZE after the data changed keeps filtered pages in the ms range.
      db.exec('PRAGMA analysis_limit = 1000; ANALYZE;');
    }
    summary.durationMs = performance.now() - started;
    report({ phase: restPhase() }, true);
    return summary;
  }

  /** Re-ingest specific paths (from the watcher): changed files are re-read, vanished ones removed. */
  async function scanPaths(paths: string[], force: boolean): Promise<IngestSummary> {
    const started = performance.now();
    const summary = emptySummary();
    memory.startRun();
    const stamps = files.stamps();
    const todo: DiscoveredRollout[] = [];
    const gone: string[] = [];
    for (const path of new Set(paths)) {
      let entry: DiscoveredRollout | null;
      try {
        entry = describeRolloutPath(codexHome, path, statSync(path));
      } catch {
        if (stamps.has(path)) gone.push(path);
        continue;
      }
      if (entry && (force || changed(entry, stamps))) todo.push(entry);
    }
    summary.filesSeen = todo.length;
    // A forced re-read starts from the top instead of resuming from the stored offset.
    await process(todo, force ? new RolloutStamps([]) : stamps, summary, null, stamps);
    const removed = removeMissing(gone);
    summary.filesRemoved = gone.length;
    if (removed.length > 0) deps.bus?.emit('threads:changed', { ids: removed, all: false });
    summary.durationMs = performance.now() - started;
    return summary;
  }

  return {
    scanAll: (): Promise<IngestSummary> => queue.run(scanAll),
    scanPaths: (paths: string[], opts?: ScanPathsOptions): Promise<IngestSummary> =>
      queue.run(() => scanPaths(paths, opts?.force === true)),
    moveRollout: (move: RolloutMove): Promise<void> => queue.run(async () => applyRolloutMove(db, move)),
    // Transactions here are synchronous, so this runs between them without waiting for a scan.
    patchGitInfo: async (patch: GitPatch): Promise<void> => applyGitPatch(db, patch),
    progress: (): IngestProgress => progress,
    setWatching(on: boolean): void {
      watching = on;
      if (progress.phase === 'idle' || progress.phase === 'watching') report({ phase: restPhase() }, true);
    },
    backfillState: () => backfill.get(),
    problems: (limit: number) => files.problems(limit),
    problemCount: () => files.problemCount(),
    threadCount: () => threads.count(),
    idle: (): Promise<void> => queue.drain(),
    close: async (): Promise<void> => {
      await queue.drain();
      await pool.close();
    },
  };
}
