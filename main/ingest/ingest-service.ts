import { statSync } from 'node:fs';
import type { IngestProgress, IngestSummary } from '../../preload/contract/index.ts';
import type { Slicer } from '../core/time-slice.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import { discoverRollouts } from '../rollouts/discover.ts';
import { extractRollout } from '../rollouts/extract-metadata.ts';
import type { DiscoveredRollout, ExtractResult } from '../rollouts/types.ts';
import { createBackfillRepo, type BackfillRepo } from '../state/backfill-repo.ts';
import type { Db } from '../state/connection.ts';
import { createRolloutFileRepo, type RolloutFileStamp } from '../state/rollout-file-repo.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { describeRolloutPath } from './rollout-path.ts';
import { SerialQueue } from './serial-queue.ts';

/** Seed §3.6: files are processed and checkpointed in batches of 200. */
export const BATCH_SIZE = 200;

export interface IngestDeps {
  db: Db;
  codexHome: string;
  defaultProvider: string;
  slicer: Slicer;
  bus?: EventBus;
  backfillLeaseSeconds?: number;
  onProgress?: (p: IngestProgress) => void;
}

interface Outcome {
  entry: DiscoveredRollout;
  result: ExtractResult | null;
  error: string | null;
}

const now = (): number => Math.floor(Date.now() / 1000);
const idle = (): IngestProgress => ({
  phase: 'idle',
  filesTotal: 0,
  filesDone: 0,
  bytesTotal: 0,
  bytesDone: 0,
  threadsUpserted: 0,
  problems: 0,
});

const changed = (entry: DiscoveredRollout, stamp: RolloutFileStamp | undefined): boolean =>
  !stamp || stamp.size !== entry.size || stamp.mtimeMs !== entry.mtimeMs;

/**
 * Rollouts → state DB. The first run is the seed's leased, watermarked backfill; every later run
 * (start-up, watcher, manual re-scan) compares (size, mtime) with what was ingested and re-reads only
 * changed files, resuming appended ones from their last complete line. All runs are serialised.
 */
export function createIngestService(deps: IngestDeps) {
  const { db, codexHome, slicer } = deps;
  const threads = createThreadRepo(db);
  const files = createRolloutFileRepo(db);
  const backfill: BackfillRepo = createBackfillRepo(db, deps.backfillLeaseSeconds);
  const queue = new SerialQueue();
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

  async function extract(entry: DiscoveredRollout, stamp: RolloutFileStamp | undefined): Promise<Outcome> {
    try {
      let resume: { offset: number; state: NonNullable<ExtractResult['state']> } | undefined;
      if (stamp && !entry.compressed && entry.size > stamp.size) {
        const rec = files.get(entry.path);
        if (rec?.foldState && rec.byteOffset > 0 && !rec.problem && rec.byteOffset <= entry.size) {
          resume = { offset: rec.byteOffset, state: rec.foldState };
        }
      }
      const result = await extractRollout(
        entry.path,
        { archived: entry.archived, defaultProvider: deps.defaultProvider, ...(resume ? { resume } : {}) },
        slicer,
      );
      return { entry, result, error: null };
    } catch (err) {
      return { entry, result: null, error: (err as Error).message || String(err) };
    }
  }

  /** Writes one batch in a single short transaction; returns the ids of upserted threads. */
  function commit(outcomes: Outcome[]): { ids: string[]; problems: number } {
    const at = now();
    const ids: string[] = [];
    let problems = 0;
    db.transaction(() => {
      for (const { entry, result, error } of outcomes) {
        const problem = error ?? result?.problem ?? null;
        const meta = result?.meta ?? null;
        if (meta) {
          threads.upsert({
            meta,
            memoryMode: result?.memoryMode ?? null,
            dynamicTools: result?.dynamicTools ?? null,
          });
          ids.push(meta.id);
        }
        if (problem && !meta) problems += 1;
        files.put(
          {
            path: entry.path,
            threadId: meta?.id ?? entry.idFromName,
            archived: entry.archived,
            size: entry.size,
            mtimeMs: entry.mtimeMs,
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

  function removeMissing(paths: string[], stamps: Map<string, RolloutFileStamp>): string[] {
    const removed: string[] = [];
    db.transaction(() => {
      for (const path of paths) {
        const threadId = stamps.get(path)?.threadId ?? null;
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

  async function process(
    entries: DiscoveredRollout[],
    stamps: Map<string, RolloutFileStamp>,
    summary: IngestSummary,
    checkpoint: ((watermark: string) => void) | null,
  ): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH_SIZE) {
      const batch = entries.slice(i, i + BATCH_SIZE);
      const outcomes: Outcome[] = [];
      for (const entry of batch) {
        outcomes.push(await extract(entry, stamps.get(entry.path)));
        report({ filesDone: progress.filesDone + 1, bytesDone: progress.bytesDone + entry.size });
        await slicer.maybeYield();
      }
      const { ids, problems } = commit(outcomes);
      for (const o of outcomes) {
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
      if (checkpoint && last) checkpoint(last.watermark);
      if (ids.length > 0)
        deps.bus?.emit('threads:changed', { ids: ids.slice(0, 500), all: ids.length > 500 });
      await slicer.maybeYield();
    }
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
    progress = idle();
    report({ phase: 'discovering' }, true);
    const discovered = await discoverRollouts(codexHome, slicer);
    const stamps = files.stamps();
    const state = backfill.get();
    const ownsBackfill = state.status !== 'complete' && backfill.tryClaim();
    const seen = new Set<string>();
    const todo: DiscoveredRollout[] = [];
    for (const entry of discovered) {
      seen.add(entry.path);
      const skipByWatermark =
        ownsBackfill && state.lastWatermark !== null && entry.watermark <= state.lastWatermark;
      if (!skipByWatermark && changed(entry, stamps.get(entry.path))) todo.push(entry);
    }
    summary.filesSeen = discovered.length;
    summary.filesUnchanged = discovered.length - todo.length;
    report(
      {
        phase: 'ingesting',
        filesTotal: todo.length,
        bytesTotal: todo.reduce((n, e) => n + e.size, 0),
      },
      true,
    );
    await process(todo, stamps, summary, ownsBackfill ? (w) => backfill.checkpoint(w) : null);
    const missing = [...stamps.keys()].filter((p) => !seen.has(p));
    const removed = removeMissing(missing, stamps);
    summary.filesRemoved = missing.length;
    if (removed.length > 0)
      deps.bus?.emit('threads:changed', { ids: removed.slice(0, 500), all: removed.length > 500 });
    if (ownsBackfill) backfill.markComplete(todo.at(-1)?.watermark ?? null);
    summary.durationMs = performance.now() - started;
    report({ phase: restPhase() }, true);
    return summary;
  }

  /** Re-ingest specific paths (from the watcher): changed files are re-read, vanished ones removed. */
  async function scanPaths(paths: string[]): Promise<IngestSummary> {
    const started = performance.now();
    const summary = emptySummary();
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
      if (entry && changed(entry, stamps.get(path))) todo.push(entry);
    }
    summary.filesSeen = todo.length;
    await process(todo, stamps, summary, null);
    const removed = removeMissing(gone, stamps);
    summary.filesRemoved = gone.length;
    if (removed.length > 0) deps.bus?.emit('threads:changed', { ids: removed, all: false });
    summary.durationMs = performance.now() - started;
    return summary;
  }

  return {
    scanAll: (): Promise<IngestSummary> => queue.run(scanAll),
    scanPaths: (paths: string[]): Promise<IngestSummary> => queue.run(() => scanPaths(paths)),
    progress: (): IngestProgress => progress,
    /** The watcher is live: idle periods report the `watching` phase. */
    setWatching(on: boolean): void {
      watching = on;
      if (progress.phase === 'idle' || progress.phase === 'watching') report({ phase: restPhase() }, true);
    },
    backfillState: () => backfill.get(),
    problems: (limit: number) => files.problems(limit),
    problemCount: () => files.problemCount(),
    threadCount: () => threads.count(),
    /** Resolves once every queued run has finished (tests, shutdown). */
    idle: (): Promise<void> => queue.drain(),
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
