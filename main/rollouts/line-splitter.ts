/**
 * Receives one line: bytes `buf[start, end)` without the `\n` (and without a trailing `\r`).
 * `endOffset` is the absolute byte offset where the next line starts (just past the `\n`, or the end of
 * the data for an unterminated final piece). `buf` may be a reused read buffer: copy what you keep.
 */
export type LineSink = (
  buf: Buffer,
  start: number,
  end: number,
  endOffset: number,
  terminated: boolean,
) => void;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Push-based JSONL line splitter. Lines that lie inside one chunk are handed out as views of that chunk
 * (no copy); only a line spanning chunks is assembled, once, when its newline arrives, so a line of any
 * length costs O(length).
 */
export class LineSplitter {
  private readonly sink: LineSink;
  /** Copied pieces of a line that started in an earlier chunk. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private consumedBytes: number;
  private lastLineEnd: number;

  constructor(sink: LineSink, baseOffset = 0) {
    this.sink = sink;
    this.consumedBytes = baseOffset;
    this.lastLineEnd = baseOffset;
  }

  /** Absolute offset just past the last newline seen: where a later read can resume. */
  get offset(): number {
    return this.lastLineEnd;
  }

  /** Absolute offset of everything pushed so far (includes a pending unterminated piece). */
  get consumed(): number {
    return this.consumedBytes;
  }

  /** Bytes waiting for their newline. */
  get pending(): number {
    return this.carryBytes;
  }

  push(chunk: Buffer, start = 0, end = chunk.length): void {
    const chunkBase = this.consumedBytes - start;
    this.consumedBytes += end - start;
    let lineStart = start;
    let nl = chunk.indexOf(LF, start);
    if (nl !== -1 && nl < end && this.carryBytes > 0) {
      this.emitCarried(chunk, start, nl, chunkBase + nl + 1);
      lineStart = nl + 1;
      nl = chunk.indexOf(LF, lineStart);
    }
    while (nl !== -1 && nl < end) {
      const lineEnd = nl > lineStart && chunk[nl - 1] === CR ? nl - 1 : nl;
      this.lastLineEnd = chunkBase + nl + 1;
      this.sink(chunk, lineStart, lineEnd, this.lastLineEnd, true);
      lineStart = nl + 1;
      nl = chunk.indexOf(LF, lineStart);
    }
    if (lineStart < end) {
      // The caller may reuse `chunk` for the next read, so the tail must be copied.
      this.carry.push(Buffer.from(chunk.subarray(lineStart, end)));
      this.carryBytes += end - lineStart;
    }
  }

  /**
   * Delivers the final unterminated piece, if any (`terminated = false`; a trailing `\r` is stripped too).
   * Returns whether there was one. `offset` stays at the last newline so a reader can retry the piece.
   */
  finish(): boolean {
    if (this.carryBytes === 0) return false;
    const line = this.takeCarry();
    let lineEnd = line.length;
    if (lineEnd > 0 && line[lineEnd - 1] === CR) lineEnd--;
    this.sink(line, 0, lineEnd, this.consumedBytes, false);
    return true;
  }

  private emitCarried(chunk: Buffer, start: number, nl: number, endOffset: number): void {
    this.carry.push(chunk.subarray(start, nl));
    this.carryBytes += nl - start;
    const line = this.takeCarry();
    let lineEnd = line.length;
    if (lineEnd > 0 && line[lineEnd - 1] === CR) lineEnd--;
    this.lastLineEnd = endOffset;
    this.sink(line, 0, lineEnd, endOffset, true);
  }

  private takeCarry(): Buffer {
    const line = this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    return line;
  }
}
