import { MATCH_END, MATCH_START } from '../../preload/contract/search.ts';
import type { ParsedQuery } from './search-query.ts';

/**
 * Snippets for a contentless index: the matched text is re-read from the rollout and the query's words
 * are found again here, with the index's tokenizer rules (unicode61, remove_diacritics 2): tokens are
 * runs of letters, digits and private-use characters, compared case- and accent-insensitively. Pure.
 */

export interface HighlightTerm {
  /** Folded tokens of a word or phrase. */
  tokens: string[];
  /** The last token matches as a prefix. */
  prefix: boolean;
}

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

/** Case- and accent-insensitive form of a token, as the index compares them. */
export function foldToken(token: string): string {
  return token.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

interface Token {
  start: number;
  end: number;
  folded: string;
}

function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN))
    out.push({ start: m.index, end: m.index + m[0].length, folded: foldToken(m[0]) });
  return out;
}

/** The positive terms of a query, tokenized as the index tokenized the documents. */
export function highlightTermsOf(q: ParsedQuery): HighlightTerm[] {
  return q.terms
    .map((t) => ({ tokens: tokensOf(t.text).map((k) => k.folded), prefix: t.prefix }))
    .filter((t) => t.tokens.length > 0);
}

function matchesAt(tokens: Token[], i: number, term: HighlightTerm): boolean {
  const n = term.tokens.length;
  if (i + n > tokens.length) return false;
  for (let k = 0; k < n; k++) {
    const have = tokens[i + k]!.folded;
    const want = term.tokens[k]!;
    const last = k === n - 1;
    if (last && term.prefix ? !have.startsWith(want) : have !== want) return false;
  }
  return true;
}

/**
 * A window of about `maxTokens` tokens around the first match, each match wrapped in MATCH_START /
 * MATCH_END, with `…` where text was cut. Without any match, the start of the text.
 */
export function cutSnippet(text: string, terms: HighlightTerm[], maxTokens = 16): string {
  const tokens = tokensOf(text);
  if (tokens.length === 0) return text.slice(0, 200);
  const spans: [first: number, last: number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (const term of terms) {
      if (matchesAt(tokens, i, term)) {
        spans.push([i, i + term.tokens.length - 1]);
        break;
      }
    }
  }
  const firstHit = spans[0]?.[0] ?? 0;
  let from = Math.max(0, firstHit - Math.floor(maxTokens / 4));
  const to = Math.min(tokens.length - 1, from + maxTokens - 1);
  from = Math.max(0, Math.min(from, to - maxTokens + 1));
  const startChar = from === 0 ? 0 : tokens[from]!.start;
  const endChar = to === tokens.length - 1 ? text.length : tokens[to]!.end;
  let out = from === 0 ? '' : '…';
  let at = startChar;
  for (const [a, b] of spans) {
    if (a < from || b > to) continue;
    const s = tokens[a]!.start;
    const e = tokens[b]!.end;
    if (s < at) continue;
    out += `${text.slice(at, s)}${MATCH_START}${text.slice(s, e)}${MATCH_END}`;
    at = e;
  }
  out += text.slice(at, endChar);
  if (endChar < text.length) out += '…';
  return out;
}
