import { describe, expect, it } from 'vitest';
import type { LogsHistogram } from '../../preload/contract/logs.ts';
import { HistogramCache } from './histogram-cache.ts';

const result = (total: number): LogsHistogram => ({ fromMs: 0, toMs: 1, bucketMs: 1, counts: [], total });

describe('HistogramCache', () => {
  it('shares one computation per question and max id, in flight and after', async () => {
    const cache = new HistogramCache();
    let runs = 0;
    const compute = async () => result(++runs);
    const [a, b] = await Promise.all([cache.get('k', 5, compute), cache.get('k', 5, compute)]);
    expect([a.total, b.total, runs]).toEqual([1, 1, 1]);
    expect((await cache.get('k', 6, compute)).total).toBe(2); // a fast count is redone for new rows
    expect((await cache.get('other', 6, compute)).total).toBe(3);
  });

  it('redoes a slow count at most every 30 s while rows keep arriving', async () => {
    const cache = new HistogramCache();
    let runs = 0;
    const slow = async () => {
      const until = performance.now() + 300;
      while (performance.now() < until); // a count that costs 300 ms
      return result(++runs);
    };
    await cache.get('k', 1, slow, 1_000);
    expect((await cache.get('k', 2, slow, 20_000)).total).toBe(1);
    expect((await cache.get('k', 3, slow, 31_001)).total).toBe(2);
  });

  it('forgets a failed computation so the next call tries again', async () => {
    const cache = new HistogramCache();
    await expect(cache.get('k', 1, () => Promise.reject(new Error('busy')))).rejects.toThrow('busy');
    expect((await cache.get('k', 1, async () => result(7))).total).toBe(7);
  });
});
