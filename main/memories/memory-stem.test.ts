import { describe, expect, it } from 'vitest';
import {
  formatRfc3339,
  formatStemTimestamp,
  memoryFileStem,
  parseThreadId,
  parseUuid,
  sanitizeSlug,
  shortHash,
  trimRust,
  uuidTimestampSeconds,
} from './memory-stem.ts';

const V7 = '0194f5a6-89ab-7cde-8123-456789abcdef';
const FIXED_PREFIX = '2025-02-11T15-35-19-jqmb';
/** 2026-03-01T10:00:00Z */
const T = 1_772_359_200;

describe('memory file stem (seed §5.13, §10 vector 9)', () => {
  it('uses the v7 timestamp and the low-32-bit hash when there is no slug', () => {
    expect(memoryFileStem(V7, 123, null)).toBe(FIXED_PREFIX);
  });

  it('sanitises the slug and truncates it to 60 characters', () => {
    const stem = memoryFileStem(
      V7,
      123,
      'Unsafe Slug/With Spaces & Symbols + EXTRA_LONG_12345_67890_ABCDE_fghij_klmno',
    );
    expect(stem).toBe(`${FIXED_PREFIX}-unsafe_slug_with_spaces___symbols___extra_long_12345_67890_a`);
    expect(stem.slice(FIXED_PREFIX.length + 1)).toHaveLength(60);
  });

  it('gives the prefix only for an empty slug', () => {
    expect(memoryFileStem(V7, 123, '')).toBe(FIXED_PREFIX);
  });

  it('gives the prefix only when the slug sanitises to underscores', () => {
    expect(memoryFileStem(V7, 123, '  /é/ ')).toBe(FIXED_PREFIX);
  });

  it('strips trailing underscores left by the 60-character cut and maps non-ASCII to _', () => {
    expect(sanitizeSlug(`${'a'.repeat(59)} b`)).toBe('a'.repeat(59));
    expect(sanitizeSlug('Café Déjà-vu')).toBe('caf__d_j__vu');
  });

  it('uses source_updated_at and the 31-multiplier byte hash for a non-UUID id', () => {
    // h = h*31 + byte over "thread-a" (mod 2^32) = 1473624414 → mod 62^4 → "Jb1I".
    expect(memoryFileStem('thread-a', T, null)).toBe('2026-03-01T10-00-00-Jb1I');
    expect(memoryFileStem('thread-a', T, 'Fix Login')).toBe('2026-03-01T10-00-00-Jb1I-fix_login');
  });

  it('uses source_updated_at for a v4 UUID (no embedded time) but still hashes its low 32 bits', () => {
    expect(memoryFileStem('9f1c2d3e-4b5a-46c7-a8b9-c0d1e2f3a4b5', T, null)).toBe('2026-03-01T10-00-00-Gnrf');
  });

  it('reads the RFC 9562 v1 and v6 example times', () => {
    const v1 = parseUuid('C232AB00-9414-11EC-B3C8-9F6BDECED846');
    const v6 = parseUuid('1EC9414C-232A-6B00-B3C8-9F6BDECED846');
    expect(v1 !== null && formatRfc3339(uuidTimestampSeconds(v1) ?? 0)).toBe('2022-02-22T19:22:22+00:00');
    expect(v6 !== null && formatRfc3339(uuidTimestampSeconds(v6) ?? 0)).toBe('2022-02-22T19:22:22+00:00');
    expect(memoryFileStem('c232ab00-9414-11ec-b3c8-9f6bdeced846', T, null)).toMatch(/^2022-02-22T19-22-22-/);
  });

  it('writes the short hash as exactly four base-62 digits', () => {
    expect(shortHash(0)).toBe('0000');
    expect(shortHash(61)).toBe('000Z');
    expect(shortHash(62)).toBe('0010');
    expect(shortHash(14_776_335)).toBe('ZZZZ');
    expect(shortHash(14_776_336)).toBe('0000');
  });
});

describe('stem value helpers', () => {
  it('formats RFC 3339 with a +00:00 offset and the stem timestamp with dashes', () => {
    expect(formatRfc3339(T)).toBe('2026-03-01T10:00:00+00:00');
    expect(formatRfc3339(0)).toBe('1970-01-01T00:00:00+00:00');
    expect(formatStemTimestamp(T + 59)).toBe('2026-03-01T10-00-59');
  });

  it('renders years outside 0..=9999 with a sign, as chrono does', () => {
    expect(formatRfc3339(253_402_300_800)).toBe('+10000-01-01T00:00:00+00:00');
  });

  it('rejects a timestamp no date can hold', () => {
    expect(() => formatRfc3339(Number.MAX_SAFE_INTEGER)).toThrow(/not a representable timestamp/);
    expect(() => formatRfc3339(1.5)).toThrow(/not a representable timestamp/);
  });

  it('parses thread ids in every form Uuid::parse_str accepts, printing them lowercase hyphenated', () => {
    const canonical = '0194f5a6-89ab-7cde-8123-456789abcdef';
    expect(parseThreadId('0194F5A6-89AB-7CDE-8123-456789ABCDEF')).toBe(canonical);
    expect(parseThreadId('0194f5a689ab7cde8123456789abcdef')).toBe(canonical);
    expect(parseThreadId('{0194f5a6-89ab-7cde-8123-456789abcdef}')).toBe(canonical);
    expect(parseThreadId('urn:uuid:0194f5a6-89ab-7cde-8123-456789abcdef')).toBe(canonical);
    expect(parseThreadId('not-a-uuid')).toBeNull();
    expect(parseThreadId('0194f5a6-89ab-7cde-8123-456789abcdeg')).toBeNull();
    expect(parseThreadId('0194f5a6-89ab7-cde-8123-456789abcdef')).toBeNull();
    expect(parseThreadId(' 0194f5a6-89ab-7cde-8123-456789abcdef')).toBeNull();
  });

  it("trims Rust's whitespace set, not JavaScript's", () => {
    expect(trimRust('\u0085 x \u3000\n')).toBe('x');
    expect(trimRust('\ufeffx')).toBe('\ufeffx');
  });
});
