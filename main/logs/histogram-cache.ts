import type { LogsHistogram } from '../../preload/contract/logs.ts';

/** A count that took longer than this is not redone more than once per STALE_MS while rows arrive. */
const SLOW_MS = 250;
const STALE_MS = 30_000;
const MAX_ENTRIES = 16;

interface Entry {
  result: Promise<LogsHistogram>;
  maxId: number;
  costMs: number;
  at: number;
}

/**
 * Histograms are exact but cost seconds over millions of rows, and a live page asks again every few
 * seconds. The same question at the same max id shares one answer (also while it is being computed);
 * a slow one is recomputed at most every 30 s while new rows arrive (the page then lags the table by
 * at most that), a fast one every time.
 */
export class HistogramCache {
  private readonly entries = new Map<string, Entry>();

  get(
    key: string,
    maxId: number,
    compute: () => Promise<LogsHistogram>,
    now = Date.now(),
  ): Promise<LogsHistogram> {
    const e = this.entries.get(key);
    if (e && (e.maxId === maxId || (e.costMs > SLOW_MS && now - e.at < STALE_MS))) return e.result;
    const started = performance.now();
    const entry: Entry = { result: compute(), maxId, costMs: Number.POSITIVE_INFINITY, at: now };
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value ?? '');
    this.entries.set(key, entry);
    entry.result.then(
      () => (entry.costMs = performance.now() - started),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.result;
  }
}
