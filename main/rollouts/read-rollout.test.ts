import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, decodeLine, readRolloutLines, scanRolloutLines } from './read-rollout.ts';
import type { ScanResult } from './read-rollout.ts';
import { removeTempDirs, tempDir } from './rollout-test-kit.ts';

afterAll(removeTempDirs);

interface Collected {
  lines: [string, number, boolean][];
  result: ScanResult;
}

async function collect(path: string, from = 0, stop?: () => boolean): Promise<Collected> {
  const lines: [string, number, boolean][] = [];
  const result = await scanRolloutLines(
    path,
    from,
    (buf, s, e, endOffset, terminated) => {
      lines.push([decodeLine(buf, s, e), endOffset, terminated]);
    },
    undefined,
    stop,
  );
  return { lines, result };
}

function writePair(data: Buffer): { plain: string; zst: string } {
  const dir = tempDir('read');
  const plain = join(dir, 'rollout-a.jsonl');
  writeFileSync(plain, data);
  writeFileSync(`${plain}.zst`, zstdCompressSync(data));
  return { plain, zst: `${plain}.zst` };
}

describe('scanRolloutLines', () => {
  const data = Buffer.from('{"a":1}\n{"b":2}\r\n\n{"c":3}\n{"d":');
  const { plain, zst } = writePair(data);

  it('reads every line with absolute end offsets and reports the unterminated tail', async () => {
    const { lines, result } = await collect(plain);
    expect(lines).toEqual([
      ['{"a":1}', 8, true],
      ['{"b":2}', 17, true],
      ['', 18, true],
      ['{"c":3}', 26, true],
      ['{"d":', 31, false],
    ]);
    expect(result).toMatchObject({ offset: 26, end: 31, unterminated: true, fileSize: 31 });
    expect(result.mtimeMs).toBeGreaterThan(0);
  });

  it('starts at a byte offset', async () => {
    const { lines, result } = await collect(plain, 17);
    expect(lines.map((l) => l[0])).toEqual(['', '{"c":3}', '{"d":']);
    expect(result.offset).toBe(26);
  });

  it('reads .zst in decompressed bytes, skipping to the offset', async () => {
    expect((await collect(zst)).lines).toEqual((await collect(plain)).lines);
    const from = await collect(zst, 17);
    expect(from.lines).toEqual((await collect(plain, 17)).lines);
    expect(from.result).toMatchObject({ offset: 26, end: 31, unterminated: true });
  });

  it('tells when the data is shorter than the offset', async () => {
    expect((await collect(plain, 100)).result.end).toBe(31);
    expect((await collect(zst, 100)).result.end).toBe(31);
    expect((await collect(plain, 100)).lines).toEqual([]);
  });

  it('stops between chunks when asked', async () => {
    const line = `${'x'.repeat(1000)}\n`;
    const big = writePair(Buffer.from(line.repeat(3 * (CHUNK_SIZE / 1000)))).plain;
    const { lines } = await collect(big, 0, () => true);
    expect(lines.length).toBeLessThan(CHUNK_SIZE / 1000 + 1);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('decodes invalid UTF-8 with replacement characters', () => {
    const bytes = Buffer.from([0x61, 0xff, 0xe2, 0x82, 0x62, 0xf0, 0x9f, 0x98, 0x80]);
    expect(decodeLine(bytes, 0, bytes.length)).toBe('a\ufffd\ufffdb😀');
  });
});

describe('readRolloutLines', () => {
  it('iterates decoded lines across chunk boundaries, plain and compressed', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `{"i":${i},"pad":"${'p'.repeat(i % 700)}"}`);
    const { plain, zst } = writePair(Buffer.from(`${many.join('\n')}\n`));
    for (const path of [plain, zst]) {
      const seen: string[] = [];
      let lastEnd = 0;
      for await (const l of readRolloutLines(path)) {
        seen.push(l.text);
        expect(l.terminated).toBe(true);
        lastEnd = l.endOffset;
      }
      expect(seen).toEqual(many);
      expect(lastEnd).toBe(Buffer.byteLength(`${many.join('\n')}\n`));
    }
  });

  it('resumes from an offset', async () => {
    const { plain } = writePair(Buffer.from('one\ntwo\nthree'));
    const seen = [];
    for await (const l of readRolloutLines(plain, 4)) seen.push([l.text, l.endOffset, l.terminated]);
    expect(seen).toEqual([
      ['two', 8, true],
      ['three', 13, false],
    ]);
  });
});
