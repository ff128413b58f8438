import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../preload/contract/index.ts';
import { combineRows, mergeTail, newestFirst, pendingCount } from './log-rows.ts';

const row = (id: number, ts: number, tsNanos = 0): LogRecord => ({
  id,
  ts,
  tsNanos,
  level: 'INFO',
  target: 't',
  message: `m${id}`,
  modulePath: null,
  file: null,
  line: null,
  threadId: null,
  processUuid: null,
});
const ids = (rows: readonly LogRecord[]): number[] => rows.map((r) => r.id);

describe('row order', () => {
  it('is newest first by ts, then nanos, then id', () => {
    const rows = [row(1, 10, 5), row(2, 11, 0), row(3, 10, 5), row(4, 10, 9)];
    expect(ids([...rows].sort(newestFirst))).toEqual([2, 4, 3, 1]);
  });
});

describe('tail merge', () => {
  it('prepends a tail page (oldest first) newest first', () => {
    const live = [row(3, 30), row(2, 20)];
    expect(ids(mergeTail(live, [row(4, 40), row(5, 50)]))).toEqual([5, 4, 3, 2]);
  });

  it('drops ids it already holds, and returns the same array when nothing is new', () => {
    const live = [row(3, 30), row(2, 20)];
    expect(ids(mergeTail(live, [row(3, 30), row(4, 40), row(4, 40)]))).toEqual([4, 3, 2]);
    expect(mergeTail(live, [row(2, 20)])).toBe(live);
    expect(mergeTail(live, [])).toBe(live);
  });

  it('puts a late row (older timestamp, higher id) in its time order', () => {
    const live = [row(3, 30), row(2, 20)];
    expect(ids(mergeTail(live, [row(4, 25)]))).toEqual([3, 4, 2]);
  });
});

describe('live rows over the pages', () => {
  it('shows each id once when the first page and the tail overlap', () => {
    // The status said max id 3; rows 4 and 5 were committed before the query ran, so both sides have them.
    const pages = [
      [row(5, 50), row(4, 40), row(3, 30)],
      [row(2, 20), row(1, 10)],
    ];
    const live = [row(6, 60), row(5, 50), row(4, 40)];
    expect(ids(combineRows(live, pages))).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('is just the pages when nothing was tailed', () => {
    expect(ids(combineRows([], [[row(2, 20)], [row(1, 10)]]))).toEqual([2, 1]);
  });

  it('counts unseen rows from the max id, never below zero', () => {
    expect(pendingCount(120, 100)).toBe(20);
    expect(pendingCount(90, 100)).toBe(0);
  });
});
