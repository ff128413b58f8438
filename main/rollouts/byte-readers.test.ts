/**
 * The word-at-a-time readers must agree exactly with the plain byte readers they stand in for, on real lines
 * and on lines with random bytes changed where the readers look.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsonStringEnd, skimEnvelope, skimTemplate } from './envelope-skim.ts';
import type { SkimmedEnvelope } from './envelope-skim.ts';
import {
  LatestTimestamp,
  parseSessionMetaLine,
  parseWithoutStrings,
  readTotalTokens,
  readTotalTokensAt,
  SESSION_META_SKIPPED,
} from './line-bytes.ts';
import { isUuid, parseRolloutFileName, parseTimestampMs } from './rollout-name.ts';
import { sessionMeta, tokenCount, turnContext, userMessage } from './rollout-test-kit.ts';

const realDir = fileURLToPath(new URL('../../../shared/fixtures/rollouts/real/', import.meta.url));
const realFiles = existsSync(realDir) ? readdirSync(realDir).filter((f) => f.endsWith('.jsonl')) : [];

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

/** Real lines (first 2 KB of each) plus built ones, as separate buffers. */
function sampleLines(): Buffer[] {
  const lines: Buffer[] = [];
  for (const file of realFiles) {
    for (const text of readFileSync(join(realDir, file), 'utf8').split('\n')) {
      if (text !== '') lines.push(Buffer.from(text.slice(0, 2048)));
    }
  }
  for (const text of [sessionMeta(), turnContext(), tokenCount(123), tokenCount(null), userMessage('hi')]) {
    lines.push(Buffer.from(text));
  }
  return lines;
}

const BYTES = Buffer.from('"\\{}[],:_ aetvrsnpc0123456789Z.T-\u00e9\u0001');

/** `line` with a few bytes among the first `span` replaced by ones that matter to the readers. */
function mutate(line: Buffer, rnd: () => number, span: number): Buffer {
  const copy = Buffer.from(line);
  const count = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < count; i++) {
    copy[Math.floor(rnd() * Math.min(span, copy.length))] = BYTES[Math.floor(rnd() * BYTES.length)]!;
  }
  return copy;
}

/** The line placed at an odd offset of a larger buffer, as lines sit in a read buffer. */
function placed(
  line: Buffer,
  rnd: () => number,
): { buf: Buffer; view: DataView; start: number; end: number } {
  const start = Math.floor(rnd() * 7);
  const buf = Buffer.concat([Buffer.from('\n'.repeat(start)), line, Buffer.from('\n{"x":1}\n')]);
  return { buf, view: new DataView(buf.buffer, buf.byteOffset, buf.length), start, end: start + line.length };
}

const blank = (): SkimmedEnvelope => ({ tsStart: 0, tsEnd: 0, kind: 0, event: 0, cursor: 0 });

describe('skimTemplate', () => {
  it('fills exactly what skimEnvelope fills whenever it accepts a line', () => {
    const rnd = random(42);
    let accepted = 0;
    for (const line of sampleLines()) {
      for (let k = 0; k < 60; k++) {
        const bytes = k === 0 ? line : mutate(line, rnd, 100);
        const { buf, view, start, end } = placed(bytes, rnd);
        const fast = blank();
        if (!skimTemplate(buf, view, start, end, fast)) continue;
        accepted++;
        const slow = blank();
        expect(skimEnvelope(buf, start, end, slow), bytes.toString('latin1', 0, 100)).toBe(true);
        expect(fast, bytes.toString('latin1', 0, 100)).toEqual(slow);
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe('readTotalTokensAt', () => {
  it('reads what readTotalTokens reads', () => {
    const rnd = random(7);
    const usage =
      '{"input_tokens":57207,"cached_input_tokens":40044,"output_tokens":1716,"reasoning_output_tokens":572,' +
      '"total_tokens":58923},"last_token_usage":{"total_tokens":1}}';
    const samples = [
      usage,
      usage.replace('"output', '"cache_write_input_tokens":1,"output'),
      '{"total_tokens":5}',
    ];
    for (const file of realFiles) {
      for (const text of readFileSync(join(realDir, file), 'utf8').split('\n')) {
        const at = text.indexOf('"total_token_usage":{');
        if (at !== -1) samples.push(text.slice(at + 20, at + 400));
      }
    }
    let numbers = 0;
    for (const sample of samples) {
      for (let k = 0; k < 200; k++) {
        const bytes = k === 0 ? Buffer.from(sample) : mutate(Buffer.from(sample), rnd, 140);
        const { buf, view, start, end } = placed(bytes, rnd);
        const expected = readTotalTokens(buf, start, end);
        if (expected !== null) numbers++;
        expect(readTotalTokensAt(buf, view, start, end), bytes.toString('latin1')).toBe(expected);
      }
    }
    expect(numbers).toBeGreaterThan(100);
  });
});

describe('LatestTimestamp.offer24', () => {
  it('keeps the same maximum as offer', () => {
    const rnd = random(99);
    const stamps = ['2026-02-03T10:15:02.418Z', '2026-02-03T10:15:02.419Z', '2025-12-31T23:59:59.999Z'];
    for (let round = 0; round < 300; round++) {
      const a = new LatestTimestamp(rnd() < 0.2 ? Date.UTC(2026, 0, 1) : null);
      const b = new LatestTimestamp(a.value());
      for (let i = 0; i < 40; i++) {
        let stamp = new Date(Date.UTC(2026, 1, 3) + Math.floor((rnd() - 0.3) * 1e9)).toISOString();
        const pick = rnd();
        if (pick < 0.1) stamp = stamps[Math.floor(rnd() * stamps.length)]!;
        else if (pick < 0.2) stamp = stamp.replace('T', 'x');
        else if (pick < 0.25) stamp = stamp.replace(/\d(?=Z)/, ':');
        else if (pick < 0.3) stamp = '2026-99-03T10:15:02.418Z';
        const line = Buffer.from(`  ${stamp}  `);
        const view = new DataView(line.buffer, line.byteOffset, line.length);
        a.offer(line, 2, 2 + stamp.length);
        if (stamp.length === 24) b.offer24(view, line, 2);
        else b.offer(line, 2, 2 + stamp.length);
        expect(b.value()).toBe(a.value());
      }
    }
  });
});

describe('parseSessionMetaLine', () => {
  it('parses like parseWithoutStrings with the session_meta patterns', () => {
    const rnd = random(5);
    const prompt = (): string => {
      const parts = ['a', '"', '\\', '\\"', 'instructions', '"instructions":"', '}', ',', 'é', '\n', '":'];
      let text = '';
      for (let i = 0; i < 30; i++) text += parts[Math.floor(rnd() * parts.length)];
      return text;
    };
    const lines = [sessionMeta()];
    for (let i = 0; i < 300; i++) {
      lines.push(
        sessionMeta({
          base_instructions: rnd() < 0.8 ? { text: prompt() } : undefined,
          instructions: rnd() < 0.3 ? prompt() : undefined,
          dynamic_tools: rnd() < 0.3 ? [{ name: 't', inputSchema: { instructions: prompt() } }] : undefined,
        }),
      );
    }
    for (const text of lines) {
      for (let k = 0; k < 4; k++) {
        const bytes = k === 0 ? Buffer.from(text) : mutate(Buffer.from(text), rnd, text.length);
        const { buf, start, end } = placed(bytes, rnd);
        expect(parseSessionMetaLine(buf, start, end)).toEqual(
          parseWithoutStrings(buf, start, end, SESSION_META_SKIPPED),
        );
      }
    }
  });
});

describe('jsonStringEnd', () => {
  it('finds the first quote not escaped, whatever the run of backslashes', () => {
    const rnd = random(11);
    for (let k = 0; k < 3000; k++) {
      const length = Math.floor(rnd() * (k % 10 === 0 ? 200_000 : 60));
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = rnd() < 0.4 ? 0x5c : rnd() < 0.3 ? 0x22 : 0x61;
      const from = Math.floor(rnd() * 3);
      const end = Math.max(from, length - Math.floor(rnd() * 3));
      let expected = -1;
      for (let q = from; q < end; q++) {
        if (bytes[q] !== 0x22) continue;
        let slashes = 0;
        for (let j = q - 1; j >= from && bytes[j] === 0x5c; j--) slashes++;
        if (slashes % 2 === 0) {
          expected = q;
          break;
        }
      }
      expect(jsonStringEnd(bytes, from, end)).toBe(expected);
    }
  });
});

describe('rollout-name without regular expressions', () => {
  const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const NAME_TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})-(\d{2})-(\d{2}))?$/;
  /** The former implementation. */
  function nameTimestamp(text: string): number | null {
    const m = NAME_TS_RE.exec(text);
    if (!m) return null;
    const [y, mo, d, h, mi, s] = m
      .slice(1)
      .map((part) => (part === undefined ? 0 : Number(part))) as number[];
    if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return null;
    return Math.floor(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) / 1000);
  }
  function reference(name: string): { timestamp: number; id: string } | null {
    if (!name.startsWith('rollout-')) return null;
    let core: string;
    if (name.endsWith('.jsonl')) core = name.slice(8, -6);
    else if (name.endsWith('.jsonl.zst')) core = name.slice(8, -10);
    else return null;
    for (let dash = core.lastIndexOf('-'); dash > 0; dash = core.lastIndexOf('-', dash - 1)) {
      const id = core.slice(dash + 1);
      if (!UUID_RE.test(id)) continue;
      const timestamp = nameTimestamp(core.slice(0, dash));
      return timestamp === null ? null : { timestamp, id: id.toLowerCase() };
    }
    return null;
  }
  function referenceMs(text: string): number | null {
    if (text.length < 10) return null;
    if (NAME_TS_RE.test(text)) {
      const s = nameTimestamp(text);
      return s === null ? null : s * 1000;
    }
    if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/.test(text)) return null;
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : null;
  }

  it('parses file names, ids and timestamps as the regular expressions did', () => {
    const rnd = random(3);
    const names = [
      'rollout-2025-10-31T01-10-29-019a37d0-e84e-712a-83b5-58282856d0fc.jsonl',
      'rollout-2025-05-07-019A37D0-E84E-712A-83B5-58282856D0FC.jsonl.zst',
      'rollout-2025-13-07T25-61-61-019a37d0-e84e-712a-83b5-58282856d0fc.jsonl',
    ];
    const chars = '0123456789-Tabcdefxyz.ABCDEF_ :Z\u0661';
    let parsed = 0;
    for (let k = 0; k < 20_000; k++) {
      const name = [...names[k % names.length]!];
      for (let j = Math.floor(rnd() * 3); j > 0; j--) {
        const at = Math.floor(rnd() * name.length);
        const op = rnd();
        if (op < 0.5) name[at] = chars[Math.floor(rnd() * chars.length)]!;
        else if (op < 0.75) name.splice(at, 1);
        else name.splice(at, 0, chars[Math.floor(rnd() * chars.length)]!);
      }
      const text = name.join('');
      const expected = reference(text);
      if (expected) parsed++;
      expect(parseRolloutFileName(text), text).toEqual(expected);
      const uuid = text.slice(-42, -6);
      expect(isUuid(uuid)).toBe(UUID_RE.test(uuid));
      const stamp = new Date(Date.UTC(2026, 0, 1) + Math.floor((rnd() - 0.5) * 1e12)).toISOString();
      for (const candidate of [text.slice(8, 27), text.slice(8, 18), stamp, stamp.replace(/\d/, 'x')]) {
        expect(parseTimestampMs(candidate), candidate).toBe(referenceMs(candidate));
      }
    }
    expect(parsed).toBeGreaterThan(3000);
    for (const edge of ['0099-01-01T00:00:00.000Z', '2025-02-30T00:00:00.000Z', '2025-01-01T24:00:00.000Z']) {
      expect(parseTimestampMs(edge)).toBe(referenceMs(edge));
    }
    for (const edge of [
      '2025-01-01T23:59:60.000Z',
      '2025-01-32T00:00:00.000Z',
      '+02025-01-01T00:00:00.000Z',
    ]) {
      expect(parseTimestampMs(edge)).toBe(referenceMs(edge));
    }
  });
});
