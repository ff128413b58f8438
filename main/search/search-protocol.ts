import type { SearchProgress } from '../../preload/contract/search.ts';
import { toColumns, type FileDocs, type FileJob, type ReadDocs } from './file-docs.ts';
import type { SyncSummary } from './search-indexer.ts';

/** workerData of search-worker. `extract` is the helper it starts for itself to read files in parallel. */
export type SearchWorkerInit =
  | { role: 'index'; searchDbFile: string; stateDbFile: string; bytesPerCommit?: number }
  | { role: 'extract'; searchDbFile: string };

/**
 * V8 young-generation caps of the search threads. The writer allocates little that lives (documents
 * arrive as bytes): left alone V8 grows its young generation to ~130 MB anyway. The helper parses
 * JSON line by line: much smaller and its collections cost more than the memory they save.
 */
export const SEARCH_WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 } as const;
export const EXTRACT_HELPER_LIMITS = { maxYoungGenerationSizeMb: 32 } as const;

export type ToSearchWorker = { type: 'sync'; id: number } | { type: 'close'; id: number };

export type FromSearchWorker =
  | { type: 'done'; id: number; summary: SyncSummary | null }
  | { type: 'failed'; id: number; message: string }
  | { type: 'progress'; payload: SearchProgress };

/** To the extract helper: read a file, or checkpoint the search DB's WAL after a commit of the writer. */
export type ToExtractWorker =
  { type: 'read'; jobs: ExtractJob[] } | { type: 'checkpoint' } | { type: 'close' };

export interface ExtractJob {
  id: number;
  job: FileJob;
}

/**
 * FileDocs as they cross threads, ready for the writer: the bodies as UTF-8 in one buffer that is
 * transferred, not copied (the writer binds slices of it, so it neither decodes nor re-encodes them:
 * FTS5 reads a blob's bytes as the text they encode), tool names in one NUL-separated string, the run
 * row already serialized, the rest as JSON. A clone is a few memcpys, not an object graph.
 */
export interface PackedFileDocs {
  bodies: Uint8Array;
  /** ends[i]: the byte offset just past body i in `bodies`. */
  ends: Uint32Array;
  tools: string;
  run: string;
  rest: string;
}

export type ExtractJobResult =
  { id: number; ok: true; docs: PackedFileDocs } | { id: number; ok: false; message: string };

const noNul = (s: string): string => (s.includes('\0') ? s.replaceAll('\0', ' ') : s);

export function packFileDocs(d: FileDocs): PackedFileDocs {
  const { columns, ...rest } = toColumns(d);
  let bytes = 0;
  for (const doc of d.docs) bytes += Buffer.byteLength(doc.body);
  // Unpooled: a pooled Buffer shares its ArrayBuffer with others and cannot be transferred.
  const bodies = Buffer.allocUnsafeSlow(bytes);
  const ends = new Uint32Array(d.docs.length);
  let at = 0;
  d.docs.forEach((doc, i) => {
    at += bodies.write(doc.body, at);
    ends[i] = at;
  });
  return {
    bodies,
    ends,
    tools: columns.tools.map((t) => noNul(t ?? '')).join('\0'),
    run: columns.run,
    rest: JSON.stringify({ ...rest, count: columns.count }),
  };
}

/** What to list as transferred when posting packed docs. */
export const packedTransfer = (p: PackedFileDocs): ArrayBuffer[] => [
  p.bodies.buffer as ArrayBuffer,
  p.ends.buffer as ArrayBuffer,
];

export function unpackFileDocs(p: PackedFileDocs): ReadDocs {
  const { count, ...rest } = JSON.parse(p.rest) as Omit<ReadDocs, 'columns'> & { count: number };
  const buf = Buffer.from(p.bodies.buffer, p.bodies.byteOffset, p.bodies.byteLength);
  const bodies: Buffer[] = new Array<Buffer>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const end = p.ends[i]!;
    bodies[i] = buf.subarray(at, end);
    at = end;
  }
  return {
    ...rest,
    columns: {
      count,
      bodies,
      tools: count > 0 ? p.tools.split('\0').map((t) => t || null) : [],
      run: p.run,
    },
  };
}
