import { useEffect } from 'react';
import type { RefObject } from 'react';

const ALL = 'ts-find';
const CURRENT = 'ts-find-current';

function supported(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined';
}

/**
 * Paints find matches in the rendered rows with the CSS Custom Highlight API (no DOM changes, so
 * Markdown and virtualised rows stay untouched). Runs after every render: rows mount as you scroll.
 */
export function useFindHighlight(
  container: RefObject<HTMLElement | null>,
  query: string,
  currentPosition: number | null,
): void {
  useEffect(() => {
    if (!supported()) return;
    const root = container.current;
    const needle = query.trim().toLowerCase();
    if (!root || needle === '') {
      CSS.highlights.delete(ALL);
      CSS.highlights.delete(CURRENT);
      return;
    }
    const all: Range[] = [];
    const current: Range[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue?.toLowerCase();
      if (!text) continue;
      const row = node.parentElement?.closest<HTMLElement>('[data-position]');
      const isCurrent = row !== null && row !== undefined && Number(row.dataset.position) === currentPosition;
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
        const range = new Range();
        range.setStart(node, at);
        range.setEnd(node, at + needle.length);
        (isCurrent ? current : all).push(range);
      }
    }
    CSS.highlights.set(ALL, new Highlight(...all));
    CSS.highlights.set(CURRENT, new Highlight(...current));
  });
  useEffect(
    () => () => {
      if (!supported()) return;
      CSS.highlights.delete(ALL);
      CSS.highlights.delete(CURRENT);
    },
    [],
  );
}
