import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { noYield, type Slicer } from '../core/time-slice.ts';
import { isSpace } from '../rollouts/line-bytes.ts';
import { isCompressedRollout, scanRolloutLines } from '../rollouts/read-rollout.ts';
import { LineDocReader, type DocKind } from './doc-extract.ts';

/** Where to (re)start reading a rollout for the index. */
export interface FileJob {
  path: string;
  /** A line boundary already indexed up to (0: from the start). */
  fromOffset: number;
  /** Non-blank lines before `fromOffset`: the position of the next line. */
  linesDone: number;
  /** Call id → tool name of calls whose output was not indexed yet. */
  calls: [string, string][];
}

export interface SearchDoc {
  position: number;
  kind: DocKind;
  tool: string | null;
  body: string;
  /** Where the (trimmed) line lies in the file, to cut a snippet from it later (decompressed for .zst). */
  offset: number;
  length: number;
}

export interface FileDocs {
  docs: SearchDoc[];
  /** The file no longer continues what was indexed (rewritten, truncated, compressed): read from 0. */
  restarted: boolean;
  /** Just past the last complete line read; an unterminated last line waits for its newline. */
  byteOffset: number;
  linesDone: number;
  calls: [string, string][];
  /** Bytes read in this run. */
  bytesRead: number;
}

/** Documents as the writer inserts them: bodies and tools by index, their run row already serialized. */
export interface DocColumns {
  count: number;
  /** Text, or its UTF-8 bytes (as they come from the search worker's helper thread). */
  bodies: (string | Buffer)[];
  tools: (string | null)[];
  /** JSON of DocRunEntry[] (see search-files-repo.ts). */
  run: string;
}

/** What a DocSource hands the writer: FileDocs with the documents as columns. */
export type ReadDocs = Omit<FileDocs, 'docs'> & { columns: DocColumns };

export function toColumns({ docs, ...rest }: FileDocs): ReadDocs {
  return {
    ...rest,
    columns: {
      count: docs.length,
      bodies: docs.map((d) => d.body),
      tools: docs.map((d) => d.tool),
      run: JSON.stringify(docs.map((d) => [d.position, d.offset, d.length, d.kind, d.tool])),
    },
  };
}

/** Pending calls kept per file: outputs follow their calls closely; a stale id costs nothing but room. */
const MAX_PENDING_CALLS = 256;
const LF = 0x0a;
const CR = 0x0d;

/** Whether the byte before `offset` is a newline, i.e. the indexed prefix is still there to append to. */
function continuesAt(path: string, offset: number): boolean {
  if (isCompressedRollout(path)) return false;
  try {
    if (statSync(path).size < offset) return false;
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(1);
      return readSync(fd, b, 0, 1, offset - 1) === 1 && b[0] === LF;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Reads the documents of one rollout from `job.fromOffset` (or from the start when the file was
 * replaced). Positions count non-blank lines exactly as the transcript reader does, so a hit opens the
 * Thread page at the same item. Lines that are not JSON or hold nothing searchable are skipped.
 */
export async function readFileDocs(job: FileJob, slicer: Slicer = noYield): Promise<FileDocs> {
  const restarted = job.fromOffset > 0 && !continuesAt(job.path, job.fromOffset);
  const from = restarted ? 0 : job.fromOffset;
  let position = restarted ? 0 : job.linesDone;
  const reader = new LineDocReader(new Map(restarted ? [] : job.calls));
  const docs: SearchDoc[] = [];
  const result = await scanRolloutLines(
    job.path,
    from,
    (buf, start, end, endOffset, terminated) => {
      if (!terminated) return;
      // The line's `\n` is at endOffset - 1, preceded by a `\r` the splitter left out of [start, end).
      const lineStart = endOffset - 1 - (buf[end] === CR ? 1 : 0) - (end - start);
      const from = start;
      while (start < end && isSpace(buf[start])) start++;
      while (end > start && isSpace(buf[end - 1])) end--;
      if (start === end) return;
      const d = reader.read(buf, start, end);
      if (d)
        docs.push({
          position,
          kind: d.kind,
          tool: d.tool,
          body: d.body,
          offset: lineStart + (start - from),
          length: end - start,
        });
      position++;
    },
    slicer,
  );
  const calls = [...reader.calls].slice(-MAX_PENDING_CALLS);
  return {
    docs,
    restarted,
    byteOffset: result.offset,
    linesDone: position,
    calls,
    bytesRead: Math.max(0, result.offset - from),
  };
}
