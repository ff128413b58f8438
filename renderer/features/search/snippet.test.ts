import { describe, expect, it } from 'vitest';
import { highlightTerms, hitLabel, snippetSegments } from './snippet.ts';

describe('snippetSegments', () => {
  it('splits on the match marks and folds whitespace', () => {
    expect(snippetSegments('…a \u0002b\u0003\n\n c\u0002d e\u0003')).toEqual([
      { text: '…a ', mark: false },
      { text: 'b', mark: true },
      { text: ' c', mark: false },
      { text: 'd e', mark: true },
    ]);
    expect(snippetSegments('')).toEqual([]);
    expect(snippetSegments('<b>not html</b>')).toEqual([{ text: '<b>not html</b>', mark: false }]);
  });
});

describe('hitLabel / highlightTerms', () => {
  it('names hits and keeps only the words of a query', () => {
    expect(hitLabel('tool_output', 'exec_command')).toBe('exec_command output');
    expect(hitLabel('tool_call', null)).toBe('Tool call');
    expect(hitLabel('user', null)).toBe('User');
    expect(highlightTerms('cwd:api "cache miss" -vendor pars*')).toBe('cache miss pars');
  });
});
