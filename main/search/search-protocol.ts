import type { SearchProgress } from '../../preload/contract/search.ts';
import { toColumns, type FileDocs, type FileJob, type ReadDocs } from './file-docs.ts';
import type { SyncSummary } from './search-indexer.ts';

/** workerData of search-worker. `extract` is the helper it starts for itself to read files in parallel. */
export type SearchWorkerInit =
  { role: 'index'; searchDbFile: string; stateDbFile: string; docsPerCommit?: number } | { role: 'extract' };

export type ToSearchWorker = { type: 'sync'; id: number } | { type: 'close'; id: number };

export type FromSearchWorker =
  | { type: 'done'; id: number; summary: SyncSummary | null }
  | { type: 'failed'; id: number; message: string }
  | { type: 'progress'; payload: SearchProgress };

export interface ExtractJobMessage {
  id: number;
  job: FileJob;
}

/**
 * FileDocs as they cross threads, ready for the writer: bodies and tool names each in one NUL-separated
 * string, the run row already serialized, the rest as JSON; a clone is a few memcpys, not an object graph.
 */
export interface PackedFileDocs {
  bodies: string;
  tools: string;
  run: string;
  rest: string;
}

export type ExtractJobResult =
  { id: number; ok: true; docs: PackedFileDocs } | { id: number; ok: false; message: string };

const noNul = (s: string): string => (s.includes('\0') ? s.replaceAll('\0', ' ') : s);

export function packFileDocs(d: FileDocs): PackedFileDocs {
  const { columns, ...rest } = toColumns(d);
  return {
    bodies: columns.bodies.map(noNul).join('\0'),
    tools: columns.tools.map((t) => noNul(t ?? '')).join('\0'),
    run: columns.run,
    rest: JSON.stringify({ ...rest, count: columns.count }),
  };
}

export function unpackFileDocs(p: PackedFileDocs): ReadDocs {
  const { count, ...rest } = JSON.parse(p.rest) as Omit<ReadDocs, 'columns'> & { count: number };
  return {
    ...rest,
    columns: {
      count,
      bodies: count > 0 ? p.bodies.split('\0') : [],
      tools: count > 0 ? p.tools.split('\0').map((t) => t || null) : [],
      run: p.run,
    },
  };
}
