import type { IngestProblem, IngestProgress, IngestSummary } from '../../preload/contract/index.ts';
import type { BackfillState } from '../state/backfill-repo.ts';
import type { RolloutMove } from '../threads/thread-archive.ts';
import type { GitPatch } from '../threads/thread-metadata.ts';

export interface ScanPathsOptions {
  /** Re-read even files whose (size, mtime) match what was ingested (repair of a missing row). */
  force?: boolean;
}

/** What the app needs from ingestion, whether it runs on this thread or on a worker. */
export interface IngestApi {
  scanAll(): Promise<IngestSummary>;
  scanPaths(paths: string[], opts?: ScanPathsOptions): Promise<IngestSummary>;
  /**
   * Archive / unarchive: renames the rollout and re-points its thread and ingest record on the write
   * connection, serialised with scans so none sees the file half-moved.
   */
  moveRollout(move: RolloutMove): Promise<void>;
  /** A git metadata edit, on the write connection between ingest transactions (not queued behind scans). */
  patchGitInfo(patch: GitPatch): Promise<void>;
  progress(): IngestProgress;
  /** The watcher is live: idle periods report the `watching` phase. */
  setWatching(on: boolean): void;
  backfillState(): BackfillState;
  problems(limit: number): IngestProblem[];
  problemCount(): number;
  threadCount(): number;
  /** Resolves once every queued run has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Where ingestion reports events (the app's EventBus, or a worker's message port). */
export interface EventSink {
  emit(name: 'ingest:progress', payload: IngestProgress): void;
  emit(name: 'threads:changed', payload: { ids: string[]; all: boolean }): void;
}

export const idleProgress = (): IngestProgress => ({
  phase: 'idle',
  filesTotal: 0,
  filesDone: 0,
  bytesTotal: 0,
  bytesDone: 0,
  threadsUpserted: 0,
  problems: 0,
});
