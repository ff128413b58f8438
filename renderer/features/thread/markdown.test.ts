import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_MAX_CHARS, Markdown, warmMarkdown } from './Markdown.tsx';

const html = (text: string): string => renderToStaticMarkup(createElement(Markdown, { text }));

describe('Markdown', () => {
  it('renders GFM with highlighted code blocks, the same on every mount', () => {
    const text = [
      '## Plan',
      '',
      '- `parse` the **rows**',
      '',
      '| file | change |',
      '| --- | --- |',
      '| a.ts | new |',
      '',
      '```ts',
      'export const answer: number = 42; // comment',
      '```',
    ].join('\n');
    const first = html(text);
    expect(first).toContain('<h2>Plan</h2>');
    expect(first).toContain('<table>');
    expect(first).toContain('<code class="hljs language-ts">');
    expect(first).toContain('<span class="hljs-keyword">export</span>');
    expect(first).toContain('<span class="hljs-comment">// comment</span>');
    expect(html(text)).toBe(first);
  });

  it('highlights every message with the one shared highlighter', () => {
    const a = html('```python\ndef f(): return 1\n```');
    const b = html('```json\n{"a": 1}\n```');
    expect(a).toContain('<span class="hljs-keyword">def</span>');
    expect(b).toContain('<span class="hljs-attr">&quot;a&quot;</span>');
    // An unknown language is left as plain code, not an error.
    expect(html('```nosuchlang\nx = 1\n```')).toContain('x = 1');
  });

  it('leaves code in very long messages uncoloured', () => {
    const code = 'const x = 1;\n'.repeat(Math.ceil(HIGHLIGHT_MAX_CHARS / 13) + 1);
    const out = html(`\`\`\`ts\n${code}\`\`\``);
    expect(out).toContain('const x = 1;');
    expect(out).not.toContain('hljs-keyword');
  });

  it('opens web links outside and never loads images or runs HTML', () => {
    const out = html('[docs](https://example.com/a) [file](src/a.ts) ![shot](/tmp/a.png) <b>raw</b>');
    expect(out).toContain(
      '<a href="https://example.com/a" target="_blank" rel="noreferrer noopener">docs</a>',
    );
    expect(out).toContain('<span class="md__link" title="src/a.ts">file</span>');
    expect(out).toContain('[image: shot]');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<b>');
  });

  it('warming up without requestIdleCallback is a no-op that can be cancelled', () => {
    const cancel = warmMarkdown(['# a', '# b']);
    expect(typeof cancel).toBe('function');
    cancel();
  });
});
