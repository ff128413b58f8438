import { describe, expect, it } from 'vitest';
import { parseCodexPatch, parseUnifiedDiff } from './patch-parse.ts';

describe('parseCodexPatch', () => {
  it('reads update, add, delete and move sections with hunks', () => {
    const patch = [
      '*** Begin Patch',
      '*** Update File: .gitignore',
      '@@',
      '-dataset/',
      '+dataset/*',
      '+!dataset/preprocess_dataset.py',
      ' dataset-bvh/',
      '@@ def main():',
      '     run()',
      '*** Add File: src/new.py',
      '+"""Doc."""',
      '+',
      '+x = 1',
      '*** Delete File: old.txt',
      '*** Update File: a.ts',
      '*** Move to: b.ts',
      '@@',
      '-old',
      '+new',
      '*** End of File',
      '*** End Patch',
      '',
    ].join('\n');
    const files = parseCodexPatch(patch);
    expect(files.map((f) => [f.kind, f.path, f.moveTo, f.added, f.removed])).toEqual([
      ['update', '.gitignore', null, 2, 1],
      ['add', 'src/new.py', null, 3, 0],
      ['delete', 'old.txt', null, 0, 0],
      ['update', 'a.ts', 'b.ts', 1, 1],
    ]);
    expect(files[0]!.hunks).toEqual([
      {
        header: null,
        lines: [
          { type: 'del', text: 'dataset/' },
          { type: 'add', text: 'dataset/*' },
          { type: 'add', text: '!dataset/preprocess_dataset.py' },
          { type: 'ctx', text: 'dataset-bvh/' },
        ],
      },
      { header: 'def main():', lines: [{ type: 'ctx', text: '    run()' }] },
    ]);
    expect(files[1]!.hunks[0]!.lines.map((l) => l.text)).toEqual(['"""Doc."""', '', 'x = 1']);
  });

  it('keeps what it can of a capped or malformed patch', () => {
    expect(parseCodexPatch('not a patch at all')).toEqual([]);
    const cut = parseCodexPatch('*** Begin Patch\n*** Add File: big.txt\n+line 1\n+line 2');
    expect(cut).toMatchObject([{ path: 'big.txt', kind: 'add', added: 2 }]);
    const crlf = parseCodexPatch(
      '*** Begin Patch\r\n*** Update File: w.txt\r\n@@\r\n-a\r\n+b\r\n*** End Patch',
    );
    expect(crlf[0]!.hunks[0]!.lines).toEqual([
      { type: 'del', text: 'a' },
      { type: 'add', text: 'b' },
    ]);
  });
});

describe('parseUnifiedDiff', () => {
  it('reads hunk ranges and skips file headers and no-newline markers', () => {
    const file = parseUnifiedDiff(
      '/p/.gitignore',
      'update',
      '--- a/.gitignore\n+++ b/.gitignore\n@@ -4,4 +4,5 @@\n \n-dataset/\n+dataset/*\n-output/\n\\ No newline at end of file\n+output/\n',
    );
    expect(file).toMatchObject({ path: '/p/.gitignore', added: 2, removed: 2 });
    expect(file.hunks).toHaveLength(1);
    expect(file.hunks[0]!.header).toBe('-4,4 +4,5');
    expect(file.hunks[0]!.lines[0]).toEqual({ type: 'ctx', text: '' });
  });
});
