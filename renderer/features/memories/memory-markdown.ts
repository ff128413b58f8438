import { linkifyMemoryMarkdown, type ThreadTitles } from './thread-links.ts';

/** `key: value` lines as the pipeline writes them (`thread_id: …`, `updated_at: …`, `task_outcome: …`). */
const FIELD_LINE = /^[A-Za-z_][\w-]*:\s+\S/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Memory files are Markdown written by a program and a model, with two habits plain Markdown renders
 * badly: a `---` front-matter block (its closing `---` would turn the fields into a heading) and runs of
 * `key: value` lines (which would run together into one paragraph). The front matter becomes a YAML code
 * block and each field line keeps its own line; code blocks are left as they are.
 */
export function tidyMemoryMarkdown(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const open = FENCE.exec(line);
    if (fence !== null) {
      if (open && open[1]![0] === fence[0] && open[1]!.length >= fence.length && line.trim() === open[1])
        fence = null;
      out.push(line);
      continue;
    }
    if (open) {
      fence = open[1]!;
      out.push(line);
      continue;
    }
    const prevBlank = out.length === 0 || out[out.length - 1]!.trim() === '';
    if (line.trim() === '---' && prevBlank && FIELD_LINE.test(lines[i + 1] ?? '')) {
      let end = i + 1;
      while (end < lines.length && lines[end]!.trim() !== '---' && lines[end]!.trim() !== '') end += 1;
      if (lines[end]?.trim() === '---') {
        out.push('```yaml', ...lines.slice(i + 1, end), '```');
        i = end;
        continue;
      }
    }
    const next = lines[i + 1];
    // A hard break (trailing backslash) between two field lines keeps them apart.
    out.push(FIELD_LINE.test(line) && next !== undefined && FIELD_LINE.test(next) ? `${line}\\` : line);
  }
  return out.join('\n');
}

/** What the Files tab and the output detail render: tidied, with thread ids and summary files linked. */
export function prepareMemoryMarkdown(markdown: string, titles?: ThreadTitles): string {
  return linkifyMemoryMarkdown(tidyMemoryMarkdown(markdown), titles);
}
