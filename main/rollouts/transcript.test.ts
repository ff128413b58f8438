import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearLineIndexCache } from './line-index.ts';
import { responseMessage, tempDir, writeRollout, removeTempDirs } from './rollout-test-kit.ts';
import { readTranscriptPage } from './transcript.ts';
import type { TranscriptItem } from '../../preload/contract/transcript.ts';

afterAll(removeTempDirs);

/** Line i says `message <i>`; every 7th line is followed by a blank line, which has no position. */
function generated(count: number, from = 0): string {
  let text = '';
  for (let i = from; i < from + count; i++) {
    text += `${responseMessage(i % 2 === 0 ? 'user' : 'assistant', `message ${i}`)}\n`;
    if (i % 7 === 0) text += i % 14 === 0 ? '\n' : '  \r\n';
  }
  return text;
}

describe('readTranscriptPage on a 20k-line file', () => {
  const dir = tempDir('transcript');
  let path = '';
  beforeAll(() => {
    clearLineIndexCache();
    path = writeRollout(dir, generated(20_000));
  });

  const texts = (items: TranscriptItem[]) => items.map((i) => (i.kind === 'message' ? i.text.text : i.kind));

  it('returns the first page with the total and file size', async () => {
    const page = await readTranscriptPage(path, 0, 100);
    expect(page.total).toBe(20_000);
    expect(page.offset).toBe(0);
    expect(page.fileSize).toBe(statSync(path).size);
    expect(page.items).toHaveLength(100);
    expect(page.items.map((i) => i.position)).toEqual([...Array(100).keys()]);
    expect(page.items[0]).toMatchObject({
      kind: 'message',
      role: 'user',
      text: { text: 'message 0', tail: null, omitted: 0 },
      lineType: 'response_item',
      hidden: false,
    });
    expect(page.items[1]).toMatchObject({ kind: 'message', role: 'assistant', text: { text: 'message 1' } });
  });

  it('reads a page in the middle, across index marks', async () => {
    const page = await readTranscriptPage(path, 12_345, 300);
    expect(page.items.map((i) => i.position)).toEqual(Array.from({ length: 300 }, (_, k) => 12_345 + k));
    expect(texts(page.items)).toEqual(Array.from({ length: 300 }, (_, k) => `message ${12_345 + k}`));
  });

  it('returns a short last page and nothing beyond the end', async () => {
    const last = await readTranscriptPage(path, 19_990, 100);
    expect(texts(last.items)).toEqual(Array.from({ length: 10 }, (_, k) => `message ${19_990 + k}`));
    const beyond = await readTranscriptPage(path, 20_000, 100);
    expect(beyond).toMatchObject({ items: [], offset: 20_000, total: 20_000 });
    expect((await readTranscriptPage(path, 50_000, 10)).items).toEqual([]);
  });

  it('extends its index when the file grows, including an unterminated last line', async () => {
    appendFileSync(path, generated(300, 20_000));
    const grown = await readTranscriptPage(path, 20_100, 5);
    expect(grown.total).toBe(20_300);
    expect(texts(grown.items)).toEqual(Array.from({ length: 5 }, (_, k) => `message ${20_100 + k}`));
    appendFileSync(path, responseMessage('user', 'partial').slice(0, 30));
    const tail = await readTranscriptPage(path, 20_299, 10);
    expect(tail.total).toBe(20_301);
    expect(tail.items.map((i) => i.kind)).toEqual(['message', 'invalid']);
    // The earlier part of the file is still served from the extended index.
    expect(texts((await readTranscriptPage(path, 7, 2)).items)).toEqual(['message 7', 'message 8']);
  });

  it('rebuilds its index when the file is replaced by a shorter one', async () => {
    writeFileSync(path, generated(10));
    const page = await readTranscriptPage(path, 0, 100);
    expect(page.total).toBe(10);
    expect(texts(page.items)).toEqual(Array.from({ length: 10 }, (_, k) => `message ${k}`));
  });
});

describe('transcript paging of compressed files', () => {
  it('pages .jsonl.zst files the same way', async () => {
    const text = generated(1000);
    const plain = writeRollout(tempDir(), text);
    const zst = `${plain}.zst`;
    writeFileSync(zst, zstdCompressSync(readFileSync(plain)));
    for (const [offset, limit] of [
      [0, 10],
      [500, 100],
      [990, 50],
      [1000, 5],
      [640, 3],
    ] as const) {
      const a = await readTranscriptPage(plain, offset, limit);
      const b = await readTranscriptPage(zst, offset, limit);
      expect({ ...b, fileSize: 0 }).toEqual({ ...a, fileSize: 0 });
      expect(b.fileSize).toBe(statSync(zst).size);
    }
  });
});
