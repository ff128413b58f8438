import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createZstdDecompress } from 'node:zlib';
import { noYield } from '../core/time-slice.ts';
import type { Slicer } from '../core/time-slice.ts';
import { LineSplitter } from './line-splitter.ts';
import type { LineSink } from './line-splitter.ts';

export const CHUNK_SIZE = 1 << 20;

export interface ScanResult {
  /** Absolute (decompressed) offset just past the last newline-terminated line. */
  offset: number;
  /** Absolute (decompressed) offset of the end of the data, including an unterminated final piece. */
  end: number;
  /** The data did not end with a newline (a line may still be being written). */
  unterminated: boolean;
  /** Modification time of the file on disk. */
  mtimeMs: number;
  /** Size of the file on disk (the compressed size for `.zst`). */
  fileSize: number;
}

export interface RolloutLine {
  /** Decoded line without its line terminator. */
  text: string;
  /** Absolute offset where the next line starts. */
  endOffset: number;
  terminated: boolean;
}

interface FileInfo {
  mtimeMs: number;
  fileSize: number;
  /** Bytes of (decompressed) data up to the end, counted from offset 0. */
  end: number;
}

export function isCompressedRollout(path: string): boolean {
  return path.endsWith('.zst');
}

/** UTF-8 with U+FFFD for invalid bytes; never throws. */
export function decodeLine(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end);
}

// Readers interleave at `await` points, so each takes its own buffer; a small free list keeps a re-scan of
// thousands of files from allocating a megabyte per file.
const freeBuffers: Buffer[] = [];
function acquireBuffer(): Buffer {
  return freeBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_SIZE);
}
function releaseBuffer(buf: Buffer): void {
  if (freeBuffers.length < 4) freeBuffers.push(buf);
}

/**
 * Yields the file's (decompressed) bytes from `fromOffset`. A yielded plain-file chunk is a view of a reused
 * buffer, valid only until the next pull.
 */
async function* readChunks(path: string, fromOffset: number, info: FileInfo): AsyncGenerator<Buffer> {
  if (isCompressedRollout(path)) {
    const input = createReadStream(path, { highWaterMark: CHUNK_SIZE });
    const stream = input.pipe(createZstdDecompress());
    // pipe() does not forward source errors; surface them through the iterator.
    input.on('error', (err) => stream.destroy(err));
    let toSkip = fromOffset;
    for await (const piece of stream as AsyncIterable<Buffer>) {
      info.end += piece.length;
      if (toSkip >= piece.length) {
        toSkip -= piece.length;
        continue;
      }
      yield toSkip > 0 ? piece.subarray(toSkip) : piece;
      toSkip = 0;
    }
    const stat = statSync(path);
    info.mtimeMs = stat.mtimeMs;
    info.fileSize = stat.size;
    return;
  }
  const fd = openSync(path, 'r');
  const buf = acquireBuffer();
  try {
    const stat = fstatSync(fd);
    info.mtimeMs = stat.mtimeMs;
    let position = fromOffset;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, position);
      if (n <= 0) break;
      position += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
    // Nothing read from beyond the end means the file is now shorter than the resume point.
    info.end = position > fromOffset ? position : Math.min(fromOffset, stat.size);
    info.fileSize = Math.max(position, stat.size);
  } finally {
    releaseBuffer(buf);
    closeSync(fd);
  }
}

/**
 * Feeds every line from `fromOffset` (a line boundary; decompressed bytes for `.zst`) to `sink`, the final
 * unterminated piece included (`terminated = false`). Yields to the event loop between chunks.
 * If the data is shorter than `fromOffset` (the file was replaced), no line is delivered and `end` tells.
 * `stop` is asked between chunks; once it says true, reading ends early (no final piece is delivered).
 */
export async function scanRolloutLines(
  path: string,
  fromOffset: number,
  sink: LineSink,
  slicer: Slicer = noYield,
  stop?: () => boolean,
): Promise<ScanResult> {
  const info: FileInfo = { mtimeMs: 0, fileSize: 0, end: 0 };
  const splitter = new LineSplitter(sink, fromOffset);
  for await (const chunk of readChunks(path, fromOffset, info)) {
    splitter.push(chunk);
    if (stop?.()) {
      // Early stop: the file's size and mtime may not have been read yet, callers that stop stat it themselves.
      return {
        offset: splitter.offset,
        end: splitter.consumed,
        unterminated: false,
        mtimeMs: info.mtimeMs,
        fileSize: info.fileSize,
      };
    }
    await slicer.maybeYield();
  }
  const unterminated = splitter.finish();
  return {
    offset: splitter.offset,
    end: info.end,
    unterminated,
    mtimeMs: info.mtimeMs,
    fileSize: info.fileSize,
  };
}

/** Pull-style iteration over decoded lines (blank lines included), for consumers that want strings. */
export async function* readRolloutLines(
  path: string,
  fromOffset = 0,
  slicer: Slicer = noYield,
): AsyncGenerator<RolloutLine, void, undefined> {
  const info: FileInfo = { mtimeMs: 0, fileSize: 0, end: 0 };
  let batch: RolloutLine[] = [];
  const splitter = new LineSplitter((buf, start, end, endOffset, terminated) => {
    batch.push({ text: decodeLine(buf, start, end), endOffset, terminated });
  }, fromOffset);
  for await (const chunk of readChunks(path, fromOffset, info)) {
    splitter.push(chunk);
    const lines = batch;
    batch = [];
    yield* lines;
    await slicer.maybeYield();
  }
  splitter.finish();
  yield* batch;
}
