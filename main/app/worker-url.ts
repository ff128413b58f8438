import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WorkerScripts {
  /** Owns ingestion writes (main/ingest/ingest-worker.ts). */
  ingest: URL | null;
  /** Reads and folds rollouts in parallel (main/rollouts/extract-worker.ts). */
  extract: URL | null;
  /** Owns the content index's writes and reads rollouts for it (main/search/search-worker.ts). */
  search?: URL | null;
  /** Owns the logs DB's writes (main/logs/logs-worker.ts). */
  logs?: URL | null;
}

const beside = (name: string, entryUrl: string): URL | null => {
  const url = new URL(`./${name}`, entryUrl);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
};

/**
 * The worker bundles built beside an entry (out/main/*.js). Entries pass their own `import.meta.url`:
 * shared code lives in out/main/chunks/, so it cannot locate them itself. Both null when running
 * from source (vitest), where ingestion stays on the calling thread, time-sliced.
 */
export function builtWorkers(entryUrl: string): WorkerScripts {
  return {
    ingest: beside('ingest-worker.js', entryUrl),
    extract: beside('extract-worker.js', entryUrl),
    search: beside('search-worker.js', entryUrl),
    logs: beside('logs-worker.js', entryUrl),
  };
}
