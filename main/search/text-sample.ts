/** Head and tail kept of a long text (a tool output, a patch): what people search for is usually there. */
export const SAMPLE_CHARS = 1024;

const SPACE = 0x20;

/** Keeps the head and tail of a long text, cut at whitespace so no word is split. */
export function sampleText(text: string, chars = SAMPLE_CHARS): string {
  if (text.length <= 2 * chars + 64) return text;
  let headEnd = text.lastIndexOf(' ', chars);
  if (headEnd < chars / 2) headEnd = chars;
  let tailStart = text.indexOf(' ', text.length - chars);
  if (tailStart === -1 || tailStart > text.length - chars / 2) tailStart = text.length - chars;
  return `${text.slice(0, headEnd)} … ${text.slice(tailStart)}`;
}

/** Decodes the JSON string bytes `buf[from, to)` (no quotes); null when the cut is not at a character boundary. */
function decodeJsonBytes(buf: Buffer, from: number, to: number): string | null {
  try {
    return JSON.parse(`"${buf.toString('utf8', from, to)}"`) as string;
  } catch {
    return null;
  }
}

/**
 * Head and tail of a long JSON string value straight from its bytes (`buf[from, to)`), without decoding
 * the megabytes between. Cuts fall just after a space: never inside an escape sequence or a word.
 */
export function sampleStringBytes(buf: Buffer, from: number, to: number): string | null {
  const bytes = SAMPLE_CHARS;
  let headEnd = buf.lastIndexOf(SPACE, from + bytes);
  if (headEnd < from + bytes / 2) headEnd = -1;
  let tailStart = buf.indexOf(SPACE, to - bytes);
  if (tailStart === -1 || tailStart >= to) tailStart = -1;
  const head = headEnd === -1 ? null : decodeJsonBytes(buf, from, headEnd);
  const tail = tailStart === -1 ? null : decodeJsonBytes(buf, tailStart + 1, to);
  if (head === null && tail === null) return null;
  return `${head ?? ''} … ${tail ?? ''}`;
}
