import { closeSync, openSync, readSync } from 'node:fs';
import { isSpace } from '../rollouts/line-bytes.ts';
import { isCompressedRollout, scanRolloutLines } from '../rollouts/read-rollout.ts';
import { LineDocReader } from './doc-extract.ts';

/** Per query: bytes of rollout lines read back for snippets (a few huge tool-output lines cost no more). */
export const SNIPPET_READ_BUDGET = 16 * 1024 * 1024;

export interface HitLine {
  path: string;
  position: number;
  offset: number;
  length: number;
}

/** The non-blank line at `position` of a `.zst` rollout, decompressed up to it. */
async function compressedLine(path: string, position: number): Promise<Buffer | null> {
  let at = 0;
  let found: Buffer | null = null;
  await scanRolloutLines(
    path,
    0,
    (buf, start, end) => {
      if (found) return;
      while (start < end && isSpace(buf[start])) start++;
      while (end > start && isSpace(buf[end - 1])) end--;
      if (start === end) return;
      if (at++ === position) found = Buffer.from(buf.subarray(start, end));
    },
    undefined,
    () => found !== null,
  );
  return found;
}

/**
 * The indexed text of one document, read back from its rollout line: the same extraction as at index
 * time for plain files (one read at the recorded offset), the same for `.zst` after decompressing up to the line. Null when the file changed under the index or cannot be read.
 */
export async function readHitText(hit: HitLine, budget: { bytes: number }): Promise<string | null> {
  try {
    if (isCompressedRollout(hit.path)) {
      const line = await compressedLine(hit.path, hit.position);
      return line ? (new LineDocReader().read(line, 0, line.length)?.body ?? null) : null;
    }
    if (hit.length > budget.bytes) return null;
    budget.bytes -= hit.length;
    const buf = Buffer.allocUnsafe(hit.length);
    const fd = openSync(hit.path, 'r');
    try {
      if (readSync(fd, buf, 0, hit.length, hit.offset) !== hit.length) return null;
    } finally {
      closeSync(fd);
    }
    return new LineDocReader().read(buf, 0, buf.length)?.body ?? null;
  } catch {
    return null;
  }
}
