import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../thread/Markdown.tsx';
import { prepareMemoryMarkdown, tidyMemoryMarkdown } from './memory-markdown.ts';
import { linkifyMemoryMarkdown, threadIdsIn } from './thread-links.ts';

const A = '0194f5a6-89ab-7cde-8123-456789abcdef';
const B = '019b0093-0f99-75e3-9b62-65da9e3c9e61';
const link = (id: string, text = id): string => `[${text}](#/thread/${id})`;
const html = (text: string): string => renderToStaticMarkup(createElement(Markdown, { text }));

describe('linkifyMemoryMarkdown', () => {
  it('links the ids of the three shapes the pipeline writes', () => {
    expect(linkifyMemoryMarkdown(`thread_id: ${A}`)).toBe(`thread_id: ${link(A)}`);
    expect(linkifyMemoryMarkdown(`- [added] thread_id=${A}, rollout_summary_file=x.md`)).toBe(
      `- [added] thread_id=${link(A)}, rollout_summary_file=x.md`,
    );
    expect(linkifyMemoryMarkdown(`## Thread \`${A}\``)).toBe(`## Thread [\`${A}\`](#/thread/${A})`);
  });

  it('leaves ids inside paths, words, existing links and fenced code alone', () => {
    const path = `rollout_path: /home/me/.codex/sessions/2025/02/11/rollout-2025-02-11T15-35-19-${A}.jsonl`;
    expect(linkifyMemoryMarkdown(path)).toBe(path);
    const winPath = `C:\\Users\\me\\${A}\\x`;
    expect(linkifyMemoryMarkdown(winPath)).toBe(winPath);
    const linked = `see ${link(A)} and [${B}](https://example.com/${B})`;
    expect(linkifyMemoryMarkdown(linked)).toBe(linked);
    const fenced = ['```', `thread_id=${A}`, '```', `after ${B}`].join('\n');
    expect(linkifyMemoryMarkdown(fenced)).toBe(
      ['```', `thread_id=${A}`, '```', `after ${link(B)}`].join('\n'),
    );
    const tilde = ['~~~~md', '```', `id ${A}`, '~~~~'].join('\n');
    expect(linkifyMemoryMarkdown(tilde)).toBe(tilde);
  });

  it('links ids at sentence ends and in parentheses, and several on one line', () => {
    expect(linkifyMemoryMarkdown(`From ${A}.`)).toBe(`From ${link(A)}.`);
    expect(linkifyMemoryMarkdown(`(thread_id=${A}, thread_id=${B})`)).toBe(
      `(thread_id=${link(A)}, thread_id=${link(B)})`,
    );
    expect(linkifyMemoryMarkdown(`upper ${A.toUpperCase()}`)).toBe(
      `upper [${A.toUpperCase()}](#/thread/${A})`,
    );
  });

  it('wraps a code span holding one id in the link, and leaves spans with none or two', () => {
    expect(linkifyMemoryMarkdown(`x \`thread_id=${A}\` y`)).toBe(`x [\`thread_id=${A}\`](#/thread/${A}) y`);
    expect(linkifyMemoryMarkdown(`\`${A} ${B}\``)).toBe(`\`${A} ${B}\``);
    expect(linkifyMemoryMarkdown('`no id` here')).toBe('`no id` here');
    // Double-backtick spans may hold single backticks.
    expect(linkifyMemoryMarkdown(`\`\` a\`b ${A} \`\``)).toBe(`[\`\` a\`b ${A} \`\`](#/thread/${A})`);
    // An unclosed backtick is text.
    expect(linkifyMemoryMarkdown(`odd \` ${A}`)).toBe(`odd \` ${link(A)}`);
  });

  it('links rollout summary files to the Files tab', () => {
    const stem = '2025-02-11T15-35-19-jqmb-fix_parser.md';
    expect(linkifyMemoryMarkdown(`- rollout_summaries/${stem} (cwd=/w, thread_id=${A})`)).toBe(
      `- [rollout_summaries/${stem}](#/memories?file=rollout_summaries%2F${stem}) (cwd=/w, thread_id=${link(A)})`,
    );
    expect(linkifyMemoryMarkdown(`rollout_summary_file: ${stem}`)).toBe(
      `rollout_summary_file: [${stem}](#/memories?file=rollout_summaries%2F${stem})`,
    );
  });

  it('gives a link the thread’s title when known, quotes escaped', () => {
    const titles = new Map([[A, 'Fix "the"\nparser']]);
    expect(linkifyMemoryMarkdown(`thread_id=${A.toUpperCase()} and ${B}`, titles)).toBe(
      `thread_id=[${A.toUpperCase()}](#/thread/${A} "Fix \\"the\\" parser") and ${link(B)}`,
    );
    expect(html(linkifyMemoryMarkdown(`## Thread \`${A}\``, titles))).toContain(
      `<a href="#/thread/${A}" title="Fix &quot;the&quot; parser"><code>${A}</code></a>`,
    );
  });

  it('lists the distinct ids of a text', () => {
    expect(threadIdsIn(`${A} ${B} ${A.toUpperCase()}`)).toEqual([A, B]);
  });
});

describe('tidyMemoryMarkdown', () => {
  it('turns front matter into a YAML block and keeps field lines apart', () => {
    const raw = ['---', 'description: parser', 'task: fix', '---', '### Task 1: fix', '- done'].join('\n');
    expect(tidyMemoryMarkdown(raw)).toBe(
      ['```yaml', 'description: parser', 'task: fix', '```', '### Task 1: fix', '- done'].join('\n'),
    );
    const fields = ['thread_id: x', 'updated_at: 2025-02-11T15:35:19+00:00', '', 'Body: one line'].join('\n');
    expect(tidyMemoryMarkdown(fields)).toBe(
      ['thread_id: x\\', 'updated_at: 2025-02-11T15:35:19+00:00', '', 'Body: one line'].join('\n'),
    );
    // A thematic break between paragraphs stays one.
    expect(tidyMemoryMarkdown('one\n\n---\n\ntwo')).toBe('one\n\n---\n\ntwo');
  });

  it('renders a rollout summary file with each field on its line and the id as an in-app link', () => {
    const file = [
      `thread_id: ${A}`,
      'updated_at: 2025-02-11T15:35:19+00:00',
      `rollout_path: /s/rollout-2025-02-11T15-35-19-${A}.jsonl`,
      'cwd: /work/app',
      '',
      '# Fixed the parser',
    ].join('\n');
    const out = html(prepareMemoryMarkdown(file));
    expect(out).toContain(`<a href="#/thread/${A}">${A}</a><br/>`);
    expect(out).toContain('<h1>Fixed the parser</h1>');
    // The id inside the rollout path is not a link.
    expect(out.match(/<a /g)).toHaveLength(1);
  });
});
