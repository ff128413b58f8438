/**
 * The content search query language, compiled to an FTS5 MATCH expression. Pure.
 *
 *   parser flaky        both words (AND), the last one also as a prefix while typing (`flaky*`)
 *   "cache miss"        a phrase
 *   -vendor             leave out documents with the word (or -"a phrase")
 *   cwd:api  project:api  model:gpt-5  source:exec  tool:apply_patch   filters (values may be quoted)
 *
 * Every word and phrase is emitted as an FTS5 string ("…" with `"` doubled), so nothing a user types —
 * quotes, `*`, `^`, `:`, parentheses, NEAR/AND/OR/NOT — can produce an FTS5 syntax error.
 */

export const FILTER_FIELDS = ['cwd', 'model', 'source', 'tool'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

const FIELD_ALIASES: Record<string, FilterField> = {
  cwd: 'cwd',
  project: 'cwd',
  model: 'model',
  source: 'source',
  tool: 'tool',
};

export interface QueryTerm {
  /** The word or phrase as typed (FTS5 tokenizes it). */
  text: string;
  /** Its last word matches as a prefix. */
  prefix: boolean;
}

export interface ParsedQuery {
  /** Positive words and phrases. */
  terms: QueryTerm[];
  /** Excluded words and phrases. */
  excluded: string[];
  filters: Record<FilterField, string[]>;
  /** The FTS5 MATCH expression; null when there is no positive term to search for. */
  match: string | null;
}

export interface ParseOptions {
  /** Treat the last bare word as a prefix (as you type) unless the query ends with a space. */
  prefixLast?: boolean;
}

/** Prefixes shorter than this are matched as whole words: one or two letters expand to huge term ranges. */
export const MIN_PREFIX = 3;

/** Whether FTS5's unicode61 tokenizer would find at least one token in `s` (letters, digits, marks). */
const hasToken = (s: string): boolean => /[\p{L}\p{N}\p{M}]/u.test(s);

const ftsString = (s: string): string => `"${s.replaceAll('"', '""')}"`;

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
  field: FilterField | null;
  /** Ends in `*` typed by the user. */
  star: boolean;
}

/** Splits the input into words, "phrases", -negations and field:value pairs. */
function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = input.length;
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);
  while (i < n) {
    while (i < n && isSpace(input[i])) i++;
    if (i >= n) break;
    let negated = false;
    if (input[i] === '-' && i + 1 < n && !isSpace(input[i + 1])) {
      negated = true;
      i++;
    }
    let field: FilterField | null = null;
    const fieldMatch = /^([A-Za-z]+):(?=\S)/.exec(input.slice(i, i + 12));
    if (fieldMatch && !negated) {
      const f = FIELD_ALIASES[fieldMatch[1]!.toLowerCase()];
      if (f) {
        field = f;
        i += fieldMatch[0].length;
      }
    }
    if (input[i] === '"') {
      const close = input.indexOf('"', i + 1);
      const end = close === -1 ? n : close;
      const text = input.slice(i + 1, end);
      i = close === -1 ? n : close + 1;
      const star = input[i] === '*';
      while (i < n && !isSpace(input[i])) i++;
      out.push({ text, quoted: true, negated, field, star });
      continue;
    }
    const start = i;
    while (i < n && !isSpace(input[i])) i++;
    let text = input.slice(start, i);
    const star = text.endsWith('*');
    if (star) text = text.replace(/\*+$/u, '');
    out.push({ text, quoted: false, negated, field, star });
  }
  return out;
}

const lastWordLength = (text: string): number =>
  [
    ...(text
      .split(/[^\p{L}\p{N}\p{M}]+/u)
      .filter(Boolean)
      .at(-1) ?? ''),
  ].length;

export function parseSearchQuery(input: string, opts: ParseOptions = {}): ParsedQuery {
  const tokens = tokenize(input);
  const filters: Record<FilterField, string[]> = { cwd: [], model: [], source: [], tool: [] };
  const terms: QueryTerm[] = [];
  const excluded: string[] = [];
  const typing = opts.prefixLast === true && !/\s$/u.test(input);
  tokens.forEach((t, i) => {
    if (t.field) {
      const value = t.text.trim();
      if (value) filters[t.field].push(value);
      return;
    }
    if (!hasToken(t.text)) return;
    if (t.negated) {
      excluded.push(t.text);
      return;
    }
    // As you type, the word under the cursor (the last token, unquoted) is still growing.
    const growing = typing && i === tokens.length - 1 && !t.quoted;
    terms.push({ text: t.text, prefix: (t.star || growing) && lastWordLength(t.text) >= MIN_PREFIX });
  });
  let match: string | null = null;
  if (terms.length > 0) {
    match = terms.map((t) => ftsString(t.text) + (t.prefix ? '*' : '')).join(' AND ');
    if (excluded.length > 0) match = `(${match}) NOT (${excluded.map(ftsString).join(' OR ')})`;
  }
  return { terms, excluded, filters, match };
}

/** Why a query cannot run, in words for the empty state; null when it can. */
export function queryNotice(q: ParsedQuery): string | null {
  if (q.match !== null) return null;
  const hasFilter = FILTER_FIELDS.some((f) => q.filters[f].length > 0);
  if (hasFilter || q.excluded.length > 0)
    return 'Add a word or a "phrase" to search for: filters only narrow a search.';
  return null;
}
