/**
 * Memory provenance in Markdown: every thread id in a memory file (`thread_id: <id>`, `thread_id=<id>`,
 * ``## Thread `<id>` ``) becomes a link to that thread, and `rollout_summaries/<stem>.md` references a link
 * to that file, by rewriting the Markdown text before it is rendered. Fenced code blocks are left alone;
 * an inline code span holding one id is wrapped in the link whole (a link inside code is not Markdown).
 */

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUID_ANY = new RegExp(UUID, 'g');
/**
 * An id standing on its own: not part of a path or a word (`rollout-…-<id>.jsonl` stays text), not already
 * a link's text (`[<id>]`) or target (`(#/thread/<id>)`).
 */
const STANDALONE_ID = new RegExp(`(?<![\\w\\-/.\\\\\\[#])(${UUID})(?![\\w\\-/]|\\\\.|\\.\\w|\\])`, 'g');
/** `rollout_summaries/<stem>.md`, or the bare `<stem>.md` of a `rollout_summary_file:` line. */
const SUMMARY_FILE = /(?<![\w\-/.[(])(rollout_summaries\/[\w.-]+?\.md)(?![\w\-/]|\])/g;
const SUMMARY_FIELD = /^(\s*(?:[-*]\s+)?rollout_summary_file:\s*)([\w.-]+\.md)(\\?)\s*$/;

export const threadHref = (id: string): string => `#/thread/${id.toLowerCase()}`;
export const memoryFileHref = (path: string): string => `#/memories?file=${encodeURIComponent(path)}`;

/** Thread id (lowercase) → its title, shown when a link is hovered. */
export type ThreadTitles = ReadonlyMap<string, string>;

/** A link destination, with the thread's title as the link title when known. */
function threadTarget(id: string, titles: ThreadTitles | undefined): string {
  const title = titles?.get(id.toLowerCase())?.replace(/\s+/g, ' ').trim();
  return title ? `${threadHref(id)} "${title.replace(/["\\]/g, '\\$&')}"` : threadHref(id);
}

/** Plain text (outside code): ids and summary file paths become links. */
function linkText(text: string, titles: ThreadTitles | undefined): string {
  return text
    .replace(STANDALONE_ID, (id: string) => `[${id}](${threadTarget(id, titles)})`)
    .replace(SUMMARY_FILE, (path: string) => `[${path}](${memoryFileHref(path)})`);
}

/** A code span (`` `…` ``, with its backticks): linked whole when it holds exactly one id. */
function linkCodeSpan(span: string, before: string, titles: ThreadTitles | undefined): string {
  if (before.endsWith('[')) return span;
  const ids = span.match(UUID_ANY);
  if (ids?.length === 1) return `[${span}](${threadTarget(ids[0]!, titles)})`;
  const file = /^`+\s*(rollout_summaries\/[\w.-]+\.md)\s*`+$/.exec(span);
  return file ? `[${span}](${memoryFileHref(file[1]!)})` : span;
}

/** One line outside fenced code: code spans and text handled apart (a span never spans lines here). */
function linkLine(line: string, titles: ThreadTitles | undefined): string {
  const field = SUMMARY_FIELD.exec(line);
  if (field) {
    const [, head, stem, hardBreak] = field as unknown as [string, string, string, string];
    return `${head}[${stem}](${memoryFileHref(`rollout_summaries/${stem}`)})${hardBreak}`;
  }
  let out = '';
  let i = 0;
  let textStart = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      i += 1;
      continue;
    }
    let run = i;
    while (line[run] === '`') run += 1;
    const ticks = line.slice(i, run);
    // The span closes at the next run of exactly as many backticks.
    let close = line.indexOf(ticks, run);
    while (close !== -1 && (line[close + ticks.length] === '`' || line[close - 1] === '`')) {
      let end = close;
      while (line[end] === '`') end += 1;
      close = line.indexOf(ticks, end);
    }
    if (close === -1) {
      i = run;
      continue;
    }
    const before = out + linkText(line.slice(textStart, i), titles);
    out = before + linkCodeSpan(line.slice(i, close + ticks.length), before, titles);
    i = close + ticks.length;
    textStart = i;
  }
  return out + linkText(line.slice(textStart), titles);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The Markdown text with its thread ids (titled when `titles` knows them) and summary files linked. */
export function linkifyMemoryMarkdown(markdown: string, titles?: ThreadTitles): string {
  const lines = markdown.split('\n');
  let fence: string | null = null;
  for (let n = 0; n < lines.length; n += 1) {
    const line = lines[n]!;
    const open = FENCE.exec(line);
    if (fence !== null) {
      // A fence closes with at least as many of the same character and nothing else on the line.
      if (open && open[1]![0] === fence[0] && open[1]!.length >= fence.length && line.trim() === open[1])
        fence = null;
      continue;
    }
    if (open) {
      fence = open[1]!;
      continue;
    }
    lines[n] = linkLine(line, titles);
  }
  return lines.join('\n');
}

/** The distinct thread ids a text mentions (lowercase), in order of first mention. */
export function threadIdsIn(text: string): string[] {
  return [...new Set((text.match(UUID_ANY) ?? []).map((id) => id.toLowerCase()))];
}
