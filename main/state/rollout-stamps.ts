/**
 * (size, mtime) of every ingested rollout, by path: what a re-scan compares a fresh stat with. Held as the
 * raw rows plus one Map from path to row, with no object per file: a re-scan of 20k unchanged files
 * spent more on building per-file stamp objects than on reading them.
 */
export class RolloutStamps {
  private readonly index = new Map<string, number>();
  private readonly rows: readonly (readonly [string, number, number])[];

  /** Rows of `[path, size, mtime_ms]`. (No parameter properties: workers run this file type-stripped.) */
  constructor(rows: readonly (readonly [string, number, number])[]) {
    this.rows = rows;
    for (let i = 0; i < rows.length; i++) this.index.set(rows[i]![0], i);
  }

  get count(): number {
    return this.rows.length;
  }

  has(path: string): boolean {
    return this.index.has(path);
  }

  /** The size recorded at the last ingest; undefined for a file never ingested. */
  sizeOf(path: string): number | undefined {
    const i = this.index.get(path);
    return i === undefined ? undefined : this.rows[i]![1];
  }

  isUnchanged(path: string, size: number, mtimeMs: number): boolean {
    const i = this.index.get(path);
    if (i === undefined) return false;
    const row = this.rows[i]!;
    return row[1] === size && row[2] === mtimeMs;
  }

  /** Known paths not in `seen`: files gone since their last ingest. */
  missingFrom(seen: ReadonlySet<string>): string[] {
    return this.rows.filter((r) => !seen.has(r[0])).map((r) => r[0]);
  }
}
