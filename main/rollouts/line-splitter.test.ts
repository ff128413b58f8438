import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';

interface Seen {
  text: string;
  endOffset: number;
  terminated: boolean;
  view: boolean;
}

function split(input: Buffer, chunkSize: number, baseOffset = 0): { lines: Seen[]; splitter: LineSplitter } {
  const lines: Seen[] = [];
  let current: Buffer | null = null;
  const splitter = new LineSplitter((buf, start, end, endOffset, terminated) => {
    lines.push({ text: buf.toString('utf8', start, end), endOffset, terminated, view: buf === current });
  }, baseOffset);
  for (let i = 0; i < input.length; i += chunkSize) {
    current = input.subarray(i, i + chunkSize);
    splitter.push(current);
  }
  current = null;
  splitter.finish();
  return { lines, splitter };
}

describe('LineSplitter', () => {
  it('hands out lines inside a chunk as views of that chunk, with absolute end offsets', () => {
    const { lines, splitter } = split(Buffer.from('ab\ncde\n\nf\n'), 1024, 100);
    expect(lines).toEqual([
      { text: 'ab', endOffset: 103, terminated: true, view: true },
      { text: 'cde', endOffset: 107, terminated: true, view: true },
      { text: '', endOffset: 108, terminated: true, view: true },
      { text: 'f', endOffset: 110, terminated: true, view: true },
    ]);
    expect(splitter.offset).toBe(110);
    expect(splitter.consumed).toBe(110);
  });

  it('gives the same lines and offsets for every chunk size', () => {
    const input = Buffer.from('{"a":1}\r\n{"b":"é€😀"}\n\n  \nlast\r\nunterminated\r');
    const reference = split(input, input.length).lines.map(({ view: _view, ...rest }) => rest);
    for (let size = 1; size <= input.length; size++) {
      expect(split(input, size).lines.map(({ view: _view, ...rest }) => rest)).toEqual(reference);
    }
    expect(reference.map((l) => l.text)).toEqual([
      '{"a":1}',
      '{"b":"é€😀"}',
      '',
      '  ',
      'last',
      'unterminated',
    ]);
    expect(reference.at(-1)).toEqual({ text: 'unterminated', endOffset: input.length, terminated: false });
  });

  it('strips a trailing CR also when the CR and LF arrive in different chunks', () => {
    const input = Buffer.from('one\r\ntwo\r\n');
    const { lines } = split(input, 4);
    expect(lines.map((l) => l.text)).toEqual(['one', 'two']);
  });

  it('keeps only bytes before the last newline in offset and reports the unterminated piece', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((buf, s, e, _o, terminated) =>
      seen.push(`${buf.toString('utf8', s, e)}:${terminated}`),
    );
    splitter.push(Buffer.from('a\nb'));
    expect(splitter.offset).toBe(2);
    expect(splitter.pending).toBe(1);
    expect(splitter.finish()).toBe(true);
    expect(splitter.finish()).toBe(false);
    expect(seen).toEqual(['a:true', 'b:false']);
    expect(splitter.offset).toBe(2);
    expect(splitter.consumed).toBe(3);
  });

  it('copies a carried tail, so reusing the chunk buffer does not corrupt it', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((buf, s, e) => seen.push(buf.toString('utf8', s, e)));
    const reused = Buffer.alloc(16);
    for (const piece of ['ab\ncd', 'ef\ngh', 'i\n']) {
      const bytes = Buffer.from(piece);
      bytes.copy(reused);
      splitter.push(reused, 0, bytes.length);
      reused.fill(0x78);
    }
    expect(seen).toEqual(['ab', 'cdef', 'ghi']);
  });

  it('assembles a multi-megabyte line from many chunks without a length limit', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const input = Buffer.from(`{"small":1}\n${big}\n{"after":2}`);
    const { lines } = split(input, 64 * 1024);
    expect(lines.map((l) => l.text.length)).toEqual([11, big.length, 11]);
    expect(lines[1]!.text === big).toBe(true);
    expect(lines[1]!.endOffset).toBe(12 + big.length + 1);
    expect(lines[2]!.terminated).toBe(false);
  });

  it('accepts a sub-range of a chunk', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((buf, s, e, endOffset) =>
      seen.push(`${buf.toString('utf8', s, e)}@${endOffset}`),
    );
    const chunk = Buffer.from('XXa\nbYY');
    splitter.push(chunk, 2, 5);
    splitter.push(Buffer.from('\n'));
    expect(seen).toEqual(['a@2', 'b@4']);
  });
});
