import { describe, expect, it } from 'vitest';
import type { LogLevelCounts, LogsHistogram } from '../../../preload/contract/index.ts';
import { bucketAt, bucketRange, layoutHistogram, niceCeiling, totalOf } from './histogram-layout.ts';

const zero: LogLevelCounts = { TRACE: 0, DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0, other: 0 };
const counts = (c: Partial<LogLevelCounts>): LogLevelCounts => ({ ...zero, ...c });
const hist = (list: LogLevelCounts[], fromMs = 1_000_000, bucketMs = 1000): LogsHistogram => ({
  fromMs,
  toMs: fromMs + list.length * bucketMs - 1,
  bucketMs,
  counts: list,
  total: list.reduce((n, c) => n + totalOf(c), 0),
});

describe('y axis', () => {
  it('rounds up to 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 180, 201, 999, 4200].map(niceCeiling)).toEqual([
      1, 1, 2, 5, 10, 10, 20, 200, 500, 1000, 5000,
    ]);
  });
});

describe('bars', () => {
  it('scales linearly to the ceiling and stacks severe levels at the bottom', () => {
    const layout = layoutHistogram(hist([counts({ INFO: 60, ERROR: 40 }), counts({ INFO: 50 })]), 200, 50);
    expect(layout.ceiling).toBe(100);
    const [first, second] = layout.bars;
    expect(first!.segments.map((s) => [s.level, s.y, s.height])).toEqual([
      ['ERROR', 30, 20],
      ['INFO', 0, 30],
    ]);
    expect(second!.segments).toEqual([{ level: 'INFO', count: 50, y: 25, height: 25 }]);
    // Slots of 100 px: the bars keep a readable width, centred.
    expect(second!.width).toBe(32);
    expect(second!.x).toBe(134);
  });

  it('keeps a lone error visible next to a huge bucket, and never exceeds the chart', () => {
    const layout = layoutHistogram(hist([counts({ INFO: 99_999, ERROR: 1 }), counts({ WARN: 1 })]), 100, 40);
    const [big, small] = layout.bars;
    expect(big!.segments.find((s) => s.level === 'ERROR')!.height).toBe(1);
    expect(big!.segments.reduce((h, s) => h + s.height, 0)).toBe(40);
    expect(Math.min(...big!.segments.map((s) => s.y))).toBe(0);
    expect(small!.segments).toHaveLength(1);
    expect(small!.segments[0]!.height).toBe(1);
  });

  it('fills narrow slots but for a 1 px gap', () => {
    const layout = layoutHistogram(hist(Array.from({ length: 50 }, () => counts({ INFO: 1 }))), 500, 10);
    expect(layout.bars[3]).toMatchObject({ x: 30, width: 9 });
  });

  it('draws nothing for empty buckets and no gaps when bars are thin', () => {
    const layout = layoutHistogram(hist([zero, zero, zero]), 6, 40);
    expect(layout.bars.every((b) => b.segments.length === 0 && b.total === 0)).toBe(true);
    expect(layout.bars[0]!.width).toBe(2);
  });

  it('gives each bucket its time span', () => {
    const layout = layoutHistogram(hist([zero, zero], 5_000, 250), 100, 10);
    expect(layout.bars.map((b) => [b.startMs, b.endMs])).toEqual([
      [5_000, 5_250],
      [5_250, 5_500],
    ]);
  });
});

describe('picking buckets', () => {
  it('maps x to a bucket, clamped', () => {
    expect([-5, 0, 9.9, 10, 99, 150].map((x) => bucketAt(x, 100, 10))).toEqual([0, 0, 0, 1, 9, 9]);
  });

  it('turns a click or a drag (either direction) into an inclusive range', () => {
    const h = hist([zero, zero, zero, zero], 10_000, 500);
    expect(bucketRange(h, 1, 1)).toEqual({ fromMs: 10_500, toMs: 10_999 });
    expect(bucketRange(h, 3, 1)).toEqual({ fromMs: 10_500, toMs: 11_999 });
  });

  it('rounds fractional bucket widths outwards', () => {
    const h = { ...hist([zero, zero, zero], 0, 333.5) };
    expect(bucketRange(h, 1, 1)).toEqual({ fromMs: 333, toMs: 666 });
  });
});
