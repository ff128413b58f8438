import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createZstdDecompress } from 'node:zlib';
import { noYield } from '../core/time-slice.ts';
import type { Slicer } from '../core/time-slice.ts';
import { LineSplitter } from './line-splitter.ts';
import type { LineSink } from './line-splitter.ts';

export const CHUNK_SIZE = 1 << 20;
const CR = 0x0d;

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

/** Consumes whole blocks of lines; see RolloutFolder.foldLines. */
export interface BlockConsumer {
  /**
   * Folds the newline-terminated lines of `buf[from, to)` and returns the index just past the last newline.
   * `buf[from, searchFrom)` is known to hold no newline. `buf` is reused afterwards: copy what you keep.
   */
  foldLines(buf: Buffer, from: number, to: number, searchFrom: number): number;
  /** Receives the final unterminated piece, as a LineSink with `terminated = false`. */
  sink: LineSink;
}

/**
 * Reads a plain (uncompressed) rollout for a BlockConsumer, one read buffer per `next` call, instead of one
 * call per line. A line that does not fit in what is left of the buffer is moved to its front before the
 * next read (the buffer doubles while a line is longer than half of it), so no line is assembled from pieces.
 * A short read is taken as the end of the file. Synchronous, so that the caller decides where to yield;
 * `close` must be called in any case.
 */
export class PlainRolloutReader {
  private readonly fd: number;
  private readonly fromOffset: number;
  private readonly pooled: Buffer;
  private buf: Buffer;
  /** `buf[0, filled)` holds bytes not consumed yet and `buf[0, scanned)` no newline; `buf[0]` is at `base`. */
  private filled = 0;
  private scanned = 0;
  private base: number;
  /** File offset just past what was read. */
  private position: number;
  private closed = false;

  /** `chunkSize` (bytes per read at first) is for tests: anything but CHUNK_SIZE gets a buffer of its own. */
  constructor(path: string, fromOffset: number, chunkSize = CHUNK_SIZE) {
    this.fd = openSync(path, 'r');
    this.fromOffset = fromOffset;
    this.base = fromOffset;
    this.position = fromOffset;
    this.pooled = chunkSize === CHUNK_SIZE ? acquireBuffer() : Buffer.allocUnsafe(Math.max(1, chunkSize));
    this.buf = this.pooled;
  }

  /** Reads once and folds the complete lines; false once the end of the file is reached. */
  next(consumer: BlockConsumer): boolean {
    let buf = this.buf;
    if (this.filled > buf.length >> 1) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, this.filled);
      this.buf = buf = bigger;
    }
    const want = buf.length - this.filled;
    const n = readSync(this.fd, buf, this.filled, want, this.position);
    if (n <= 0) return false;
    this.position += n;
    const filled = this.filled + n;
    // A view ending at `filled`: Buffer#indexOf has no end bound and would run on into stale bytes.
    const view = filled === buf.length ? buf : buf.subarray(0, filled);
    const used = consumer.foldLines(view, 0, filled, this.scanned);
    if (used > 0 && used < filled) buf.copyWithin(0, used, filled);
    this.base += used;
    this.filled = this.scanned = filled - used;
    // Only a zero-byte read means end of file: network and FUSE filesystems may return short reads
    // mid-file, and stopping there would silently drop the rest of the rollout.
    return true;
  }

  /**
   * Delivers the unterminated final piece, if any, and describes the scan. The file is stat'ed only when
   * `wantStat()`, asked after that, says so (or to tell a file shorter than `fromOffset`); otherwise
   * `mtimeMs` is NaN and `fileSize` is what was read.
   */
  finish(consumer: BlockConsumer, wantStat: () => boolean = () => true): ScanResult {
    const { buf, filled, position, fromOffset } = this;
    if (filled > 0) {
      const end = buf[filled - 1] === CR ? filled - 1 : filled;
      consumer.sink(buf.subarray(0, filled), 0, end, this.base + filled, false);
    }
    const stat = position > fromOffset && !wantStat() ? null : fstatSync(this.fd);
    return {
      offset: this.base,
      end: position > fromOffset ? position : Math.min(fromOffset, stat!.size),
      unterminated: filled > 0,
      mtimeMs: stat ? stat.mtimeMs : NaN,
      fileSize: stat ? Math.max(position, stat.size) : position,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pooled.length === CHUNK_SIZE) releaseBuffer(this.pooled);
    closeSync(this.fd);
  }
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
