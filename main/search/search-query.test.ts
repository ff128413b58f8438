import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSearchQuery, queryNotice } from './search-query.ts';

describe('parseSearchQuery', () => {
  const cases: [string, string | null, boolean?][] = [
    // input, MATCH expression, prefixLast
    ['parser', '"parser"'],
    ['flaky parser', '"flaky" AND "parser"'],
    ['flaky pars', '"flaky" AND "pars"*', true],
    ['flaky pars ', '"flaky" AND "pars"', true],
    ['flaky pa', '"flaky" AND "pa"', true],
    ['pars* test', '"pars"* AND "test"'],
    ['"cache miss" rate', '"cache miss" AND "rate"'],
    ['"cache miss"', '"cache miss"', true],
    ['"unterminated phrase', '"unterminated phrase"'],
    ['parser -vendor -"dist build"', '("parser") NOT ("vendor" OR "dist build")'],
    ['say "hi""there"', '"say" AND "hi"'],
    ['a"b', '"a""b"'],
    ['NEAR(a b) AND OR NOT', '"NEAR(a" AND "b)" AND "AND" AND "OR" AND "NOT"'],
    ['(foo) ^bar {baz}:x', '"(foo)" AND "^bar" AND "{baz}:x"'],
    ['col:value', '"col:value"'],
    ['http://example.com/x?y=1', '"http://example.com/x?y=1"'],
    ['* ** - -- : " "" ()', null],
    ['', null],
    ['   ', null],
    ['テスト 失敗', '"テスト" AND "失敗"'],
    ['café', '"café"'],
  ];
  it.each(cases)('%j → %j', (input, match, prefixLast = false) => {
    expect(parseSearchQuery(input, { prefixLast }).match).toBe(match);
  });

  it('reads field filters (quoted values, aliases, repeated fields) and leaves them out of the match', () => {
    const q = parseSearchQuery(
      'cwd:api project:"my app" model:gpt-5 source:exec tool:apply_patch tool:shell fix',
    );
    expect(q.filters).toEqual({
      cwd: ['api', 'my app'],
      model: ['gpt-5'],
      source: ['exec'],
      tool: ['apply_patch', 'shell'],
    });
    expect(q.match).toBe('"fix"');
    expect(q.terms).toEqual([{ text: 'fix', prefix: false }]);
  });

  it('treats unknown fields and empty values as words, and a filter-only query as nothing to search', () => {
    expect(parseSearchQuery('foo:bar').match).toBe('"foo:bar"');
    expect(parseSearchQuery('cwd: x').match).toBe('"cwd:" AND "x"');
    const onlyFilters = parseSearchQuery('cwd:api -vendor');
    expect(onlyFilters.match).toBeNull();
    expect(queryNotice(onlyFilters)).toMatch(/Add a word/);
    expect(queryNotice(parseSearchQuery(''))).toBeNull();
  });

  it('prefixes only the word being typed, and only from three letters on', () => {
    expect(parseSearchQuery('tool:shell pars', { prefixLast: true }).match).toBe('"pars"*');
    expect(parseSearchQuery('pars tool:shell', { prefixLast: true }).match).toBe('"pars"');
    expect(parseSearchQuery('"a phrase', { prefixLast: true }).match).toBe('"a phrase"');
    expect(parseSearchQuery('x*').match).toBe('"x"');
  });
});

describe('no input produces an FTS5 error', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')`);
  db.prepare('INSERT INTO t (body) VALUES (?)').run('the "quick" brown fox: NEAR the lazy dog (AND) OR not');
  const hostile = [
    '"',
    '""',
    '"""',
    'a"',
    '*',
    'a**',
    '*a',
    'NEAR',
    'NEAR(',
    'NEAR(quick fox, 2)',
    'AND',
    'OR OR',
    'NOT',
    'quick NOT',
    '(',
    ')',
    '())(',
    ':',
    'body:',
    'body:quick',
    '{body}: fox',
    '^quick',
    'quick + fox',
    "'; DROP TABLE t; --",
    '\\"',
    '-',
    '-"',
    '- quick',
    'quick -',
    '\u0000',
    '\u0002fox\u0003',
    '🦊 fox',
    'x'.repeat(500),
  ];
  it.each(hostile)('%j', (input) => {
    for (const prefixLast of [false, true]) {
      const { match } = parseSearchQuery(input, { prefixLast });
      if (match === null) continue;
      expect(() => db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(match)).not.toThrow();
    }
  });

  it('matches what the words say', () => {
    const rows = (q: string): unknown[] =>
      db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(parseSearchQuery(q, { prefixLast: true }).match);
    expect(rows('NEAR(the lazy)')).toHaveLength(1);
    expect(rows('"brown fox"')).toHaveLength(1);
    expect(rows('"fox brown"')).toHaveLength(0);
    expect(rows('laz')).toHaveLength(1);
    expect(rows('quick -lazy')).toHaveLength(0);
  });
});
