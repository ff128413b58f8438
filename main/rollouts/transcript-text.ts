import type { CappedText, TranscriptImage } from '../../preload/contract/transcript.ts';
import { asObject } from './thread-fold.ts';

/** Per-field text cap: a page stays small however large the pasted text or file. */
export const MAX_ITEM_TEXT = 32 * 1024;
/** Tool output keeps its head and its tail (where errors and exit summaries are). */
export const OUTPUT_HEAD = 12 * 1024;
export const OUTPUT_TAIL = 4 * 1024;
/** Images up to this size travel as data URLs (thumbnails); larger ones as a placeholder with the size. */
export const MAX_INLINE_IMAGE = 256 * 1024;

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Cut index at or below `at` that does not split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** The first `max` characters; the rest counted as omitted. */
export function capHead(text: string, max = MAX_ITEM_TEXT): CappedText {
  if (text.length <= max) return { text, tail: null, omitted: 0 };
  const cut = safeCut(text, max);
  return { text: text.slice(0, cut), tail: null, omitted: text.length - cut };
}

/** Head and tail of a long text, the middle counted as omitted. */
export function capHeadTail(text: string, head = OUTPUT_HEAD, tail = OUTPUT_TAIL): CappedText {
  if (text.length <= head + tail) return { text, tail: null, omitted: 0 };
  const h = safeCut(text, head);
  let t = text.length - tail;
  const code = text.charCodeAt(t);
  if (code >= 0xdc00 && code <= 0xdfff) t++;
  return { text: text.slice(0, h), tail: text.slice(t), omitted: t - h };
}

export function fullText(c: CappedText): string {
  return c.tail === null ? c.text : `${c.text}\n${c.tail}`;
}

function imageFromUrl(url: string): TranscriptImage {
  if (url.startsWith('data:')) {
    const mime = /^data:([^;,]+)/.exec(url)?.[1] ?? null;
    const comma = url.indexOf(',');
    // Base64 payload → decoded size.
    const bytes = Math.floor(((comma === -1 ? url.length : url.length - comma - 1) * 3) / 4);
    return {
      kind: 'image',
      mime,
      dataUrl: url.length <= MAX_INLINE_IMAGE && mime?.startsWith('image/') ? url : null,
      bytes,
      source: null,
    };
  }
  return { kind: 'image', mime: null, dataUrl: null, bytes: 0, source: url };
}

/** An image content part (`input_image`, `image`, `local_image`), or null for anything else. */
export function imagePart(part: Record<string, unknown>): TranscriptImage | null {
  const type = part.type;
  if (type !== 'input_image' && type !== 'image' && type !== 'local_image' && type !== 'output_image')
    return null;
  const url = str(part.image_url) ?? str(part.url) ?? str(asObject(part.image_url)?.url);
  if (url) return imageFromUrl(url);
  const path = str(part.path);
  return { kind: 'image', mime: null, dataUrl: null, bytes: 0, source: path };
}

/** Text and images of message / output content: a string or an array of typed parts. */
export function contentParts(content: unknown): { text: string; images: TranscriptImage[] } {
  if (typeof content === 'string') return { text: content, images: [] };
  const texts: string[] = [];
  const images: TranscriptImage[] = [];
  if (Array.isArray(content)) {
    for (const raw of content) {
      const part = asObject(raw);
      if (!part) continue;
      const image = imagePart(part);
      if (image) images.push(image);
      else if (typeof part.text === 'string') texts.push(part.text);
    }
  }
  return { text: texts.join('\n'), images };
}

/** Extra images of `user_message` events (`images`: URLs, `local_images`: paths). */
export function eventImages(p: Record<string, unknown>): TranscriptImage[] {
  const out: TranscriptImage[] = [];
  if (Array.isArray(p.images)) for (const u of p.images) if (typeof u === 'string') out.push(imageFromUrl(u));
  if (Array.isArray(p.local_images)) {
    for (const l of p.local_images) {
      const path = typeof l === 'string' ? l : str(asObject(l)?.path);
      if (path) out.push({ kind: 'image', mime: null, dataUrl: null, bytes: 0, source: path });
    }
  }
  return out;
}

const INJECTED = [
  /^\s*<(environment_context|user_instructions|permissions instructions|collaboration_mode|app-context|personality|model_switch|user_shell_command|turn_aborted|subagent_notification|skill|INSTRUCTIONS)/i,
  /^\s*# AGENTS\.md instructions/,
];

/** Context Codex injects as user/developer messages (AGENTS.md, environment, permissions, …). */
export function isInjected(role: string, text: string): boolean {
  if (role === 'developer' || role === 'system') return true;
  return INJECTED.some((re) => re.test(text));
}

/** Single-line summary for outline labels. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, safeCut(flat, max - 1))}…`;
}
