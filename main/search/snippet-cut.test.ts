import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from './search-query.ts';
import { cutSnippet, foldToken, highlightTermsOf } from './snippet-cut.ts';

const S = '\u0002';
const E = '\u0003';
const cut = (text: string, query: string, max?: number): string =>
  cutSnippet(text, highlightTermsOf(parseSearchQuery(query, { prefixLast: true })), max);

describe('cutSnippet', () => {
  it('marks words case- and accent-insensitively, as the index matched them', () => {
    expect(cut('The Café opened; cafe prices rose.', 'CAFÉ ')).toBe(
      `The ${S}Café${E} opened; ${S}cafe${E} prices rose.`,
    );
    expect(foldToken('Éléphant')).toBe('elephant');
  });

  it('marks a phrase as one span and only where its words are consecutive', () => {
    expect(cut('wrong shape here; the wrong payload shape there', '"wrong payload shape"')).toBe(
      `wrong shape here; the ${S}wrong payload shape${E} there`,
    );
  });

  it('marks the word being typed as a prefix, and never excluded words', () => {
    expect(cut('rendering the renderer', 'rend')).toBe(`${S}rendering${E} the ${S}renderer${E}`);
    expect(cut('cache miss and cache hit', 'cache -miss')).toBe(`${S}cache${E} miss and ${S}cache${E} hit`);
  });

  it('cuts a window around the first match with ellipses', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
    words[40] = 'needle';
    const snippet = cut(words.join(' '), 'needle', 8);
    expect(snippet).toBe(`…w38 w39 ${S}needle${E} w41 w42 w43 w44 w45…`);
    expect(cut('short text without it', 'needle')).toBe('short text without it');
  });

  it('treats CJK runs and punctuation as the tokenizer does', () => {
    expect(cut('テストが失敗する原因', 'テストが失敗する原因')).toBe(`${S}テストが失敗する原因${E}`);
    expect(cut('joint_pos.shape[:2]', 'shape')).toBe(`joint_pos.${S}shape${E}[:2]`);
  });
});
