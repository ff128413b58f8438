import type { IngestProgress, IngestSummary } from '../../preload/contract/index.ts';
import type { RolloutMove } from '../threads/thread-archive.ts';
import type { GitPatch } from '../threads/thread-metadata.ts';

/** workerData of ingest-worker. */
export interface IngestWorkerInit {
  dbFile: string;
  codexHome: string;
  defaultProvider: string;
  /** href of the built extract worker; null extracts on the ingest worker itself. */
  extractWorker: string | null;
  backfillLeaseSeconds?: number;
}

export type ToIngestWorker =
  // pollutionRule: the main thread's reading of settings.json for this run (see pollutionRuleFromSettings).
  | { type: 'scanAll'; id: number; pollutionRule: boolean }
  | { type: 'scanPaths'; id: number; paths: string[]; force?: boolean; pollutionRule: boolean }
  | { type: 'moveRollout'; id: number; move: RolloutMove }
  | { type: 'patchGitInfo'; id: number; patch: GitPatch }
  | { type: 'setWatching'; on: boolean }
  | { type: 'close'; id: number };

export type FromIngestWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; summary: IngestSummary | null }
  | { type: 'failed'; id: number; message: string; code: string | null }
  | { type: 'event'; name: 'ingest:progress'; payload: IngestProgress }
  | { type: 'event'; name: 'threads:changed'; payload: { ids: string[]; all: boolean } };
