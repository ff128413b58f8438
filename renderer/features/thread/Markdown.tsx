import { memo, type ReactElement } from 'react';
import type { Components, Options } from 'react-markdown';
// The default export is a plain function of its options (no hooks): called directly, its output is cached.
import renderMarkdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';

const components: Components = {
  // Links open outside the app; relative links in a transcript point at the user's files, not at us.
  // In-app routes (a memory file's thread ids, linked by features/memories) stay in the app.
  a: ({ href, title, children }) =>
    href && /^#\/(thread|memories)\b/.test(href) ? (
      <a href={href} title={title}>
        {children}
      </a>
    ) : href && /^https?:\/\//.test(href) ? (
      <a href={href} target="_blank" rel="noreferrer noopener">
        {children}
      </a>
    ) : (
      <span className="md__link" title={href}>
        {children}
      </span>
    ),
  // Images in messages are file paths or remote URLs, which the CSP (rightly) does not load.
  img: ({ alt, src }) => (
    <span className="md__img" title={typeof src === 'string' ? src : undefined}>
      [image{alt ? `: ${alt}` : ''}]
    </span>
  ),
};

/**
 * One highlighter for every message. rehype-highlight builds a new highlight.js instance (registering and
 * later compiling ~37 grammars) each time it is attached, and react-markdown attaches its plugins on
 * every parse: the shared transformer makes that once per session.
 */
const highlight = rehypeHighlight({ detect: false });
const remarkPlugins: Options['remarkPlugins'] = [remarkGfm];
const rehypePlugins: Options['rehypePlugins'] = [() => highlight];
/** Longer messages are shown without syntax colours: highlighting is the slowest part of a parse. */
export const HIGHLIGHT_MAX_CHARS = 20_000;

/** Parsed messages by text, most recently used last: rows unmount and mount again as they scroll. */
const cache = new Map<string, ReactElement>();
const CACHE_SIZE = 400;

/** The rendered Markdown of `text` (a pure function of the text), parsed once and then reused. */
function markdownElement(text: string): ReactElement {
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const element = renderMarkdown({
    children: text,
    remarkPlugins,
    rehypePlugins: text.length > HIGHLIGHT_MAX_CHARS ? [] : rehypePlugins,
    components,
  });
  cache.set(text, element);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return element;
}

/** How many texts one warm-up pass parses at most (well under the cache size, so it never evicts its own). */
const WARM_LIMIT = 120;
/** Parsing stops for the idle period once this much time went into it. */
const WARM_SLICE_MS = 10;

/**
 * Parses `texts` (nearest first) in idle time, so rows that scroll into view later mount without parsing
 * in the scroll handler. Returns a cancel function.
 */
export function warmMarkdown(texts: readonly string[]): () => void {
  const todo = texts.filter((t) => !cache.has(t)).slice(0, WARM_LIMIT);
  if (todo.length === 0 || typeof requestIdleCallback !== 'function') return () => undefined;
  let next = 0;
  let handle = 0;
  const work = (deadline: IdleDeadline): void => {
    // One text at least per idle period, more while it lasts, but never more than a slice of work
    // at a time: an idle period can be 50 ms long, and input arriving meanwhile would wait for us.
    const start = performance.now();
    do {
      const text = todo[next++];
      if (text !== undefined && !cache.has(text)) markdownElement(text);
    } while (next < todo.length && deadline.timeRemaining() > 8 && performance.now() - start < WARM_SLICE_MS);
    if (next < todo.length) handle = requestIdleCallback(work);
  };
  handle = requestIdleCallback(work);
  return () => cancelIdleCallback(handle);
}

/** GFM Markdown with highlighted code blocks; raw HTML in the text is shown as text, never run. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return <div className="md">{markdownElement(text)}</div>;
});
