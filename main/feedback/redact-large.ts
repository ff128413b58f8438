import type { RedactionCounts } from '../../preload/contract/feedback.ts';
import type { Slicer } from '../core/time-slice.ts';
import { addCounts, redactText, type Redacted } from './redact.ts';

const CHUNK_CHARS = 512 * 1024;
const BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g;
const END = '-----END ';

/** Where a chunk starting at `from` may end: a line end, never inside an open private-key block. */
function chunkEnd(text: string, from: number): number {
  let end = Math.min(text.length, from + CHUNK_CHARS);
  if (end === text.length) return end;
  const nl = text.indexOf('\n', end);
  end = nl === -1 ? text.length : nl + 1;
  // A BEGIN without its END in this chunk: extend past the END (or to the end of the text).
  BEGIN.lastIndex = from;
  let open = -1;
  for (let m = BEGIN.exec(text); m && m.index < end; m = BEGIN.exec(text)) open = m.index;
  if (open !== -1 && text.indexOf(END, open) === -1) return text.length;
  if (open !== -1) {
    const close = text.indexOf(END, open);
    if (close >= end) {
      const after = text.indexOf('\n', close);
      return after === -1 ? text.length : after + 1;
    }
  }
  return end;
}

/**
 * `redactText` over a large text in line-aligned chunks of ~512 K characters, yielding between chunks,
 * so a big log or rollout never blocks the event loop for its whole length. A private-key block is never
 * split across chunks.
 */
export async function redactLarge(text: string, home: string | null, slicer: Slicer): Promise<Redacted> {
  if (text.length <= CHUNK_CHARS) return redactText(text, home);
  const out: string[] = [];
  let counts: RedactionCounts = {};
  for (let from = 0; from < text.length;) {
    const end = chunkEnd(text, from);
    const r = redactText(text.slice(from, end), home);
    out.push(r.text);
    counts = addCounts(counts, r.counts);
    from = end;
    await slicer.maybeYield();
  }
  return { text: out.join(''), counts };
}
