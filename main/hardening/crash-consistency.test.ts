import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { partitionUsageFromLogs } from '../logs/log-caps.ts';
import { logsDbFileName, openLogsDb } from '../logs/logs-db.ts';
import { openSearchDb, searchDbFileName } from '../search/search-db.ts';
import { createSearchFilesRepo } from '../search/search-files-repo.ts';
import { stateDbFileName } from '../state/state-db.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { writeSyntheticCodexHome } from '../test-support/synthetic-rollouts.ts';
import {
  builtAvailable,
  integrity,
  logsWorkerJs,
  peek,
  repoRoot,
  snapshotDbs,
  spawnChild,
  spawnServe,
  waitFor,
  valueIn,
  type Child,
} from './crash-kit.ts';
import { memoriesCrashScenario } from './crash-memories.ts';

/**
 * Crash consistency (issue 8, item 1): real child processes — the built serve entry, and a plain-Node
 * child logging through the built logs worker — are SIGKILLed mid-write; after each kill the files they
 * left are checked (on copies), then the process is restarted on the same data dir and the end state is
 * checked: SQLite integrity, no thread lost or duplicated, the content index covering every rollout,
 * log usage matching the rows, and (crash-memories.ts) jobs recovering through their leases with no
 * half-written memory file. Needs `npm run build` (tests run after it in `npm test`).
 */

const DBS = [stateDbFileName, searchDbFileName, logsDbFileName];
const killPoints: string[] = [];
const cleanups: (() => void | Promise<void>)[] = [];
const children: Child[] = [];
const dir = (): string => {
  const t = makeTempDir('threadscope-crash-');
  cleanups.push(t.cleanup);
  return t.dir;
};
afterEach(async () => {
  for (const c of children.splice(0)) await c.kill9();
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => {
  if (killPoints.length > 0)
    console.log(`crash consistency: ${killPoints.length} SIGKILLs survived: ${killPoints.join('; ')}`);
});

const track = (c: Child): Child => {
  children.push(c);
  return c;
};

/**
 * Integrity of every DB the crashed process left, checked on a copy (the data dir stays as the crash
 * left it for the restart); returns the copy's folder for further looks.
 */
function expectIntactAfterKill(dataDir: string, names: readonly string[] = DBS): string {
  const copy = dir();
  snapshotDbs(dataDir, copy, names);
  for (const name of names) {
    const fts = name === searchDbFileName ? ['search_docs'] : [];
    expect(integrity(join(copy, name), fts), `${name} after SIGKILL`).toBe('ok');
  }
  return copy;
}

/** A kill point was passed over between two polls: fail the wait at once, saying so. */
const missed = (what: string): never => {
  throw new Error(`the kill point was missed: ${what} before a poll saw it part-way`);
};

describe.skipIf(!builtAvailable())('crash consistency (SIGKILL; run `npm run build` first)', () => {
  it('survives SIGKILL mid-backfill and mid content indexing: nothing lost, duplicated or corrupt', async () => {
    const home = dir();
    const data = dir();
    // Small files (commits of 1,000 rollouts, a bulk load) over ~30 MB (two content-index runs).
    const synth = writeSyntheticCodexHome(home, {
      threads: 4000,
      targetBytes: 4000 * 6000,
      minFileBytes: 2048,
      seed: 8,
      edgeCases: false,
      endMs: Date.now() - 86_400_000,
    });
    const n = synth.threads.length;
    const stateDb = join(data, stateDbFileName);
    const searchDb = join(data, searchDbFileName);
    const threads = (): number => Number(peek(stateDb, 'SELECT count(*) FROM threads') ?? 0);
    const indexed = (): number => Number(peek(searchDb, 'SELECT count(*) FROM search_files') ?? 0);

    // 1. First backfill: killed once some, but not all, threads are committed.
    const first = track(spawnServe(home, data));
    const seen = await waitFor(
      'part of the backfill committed',
      () => {
        const c = threads();
        return c >= n ? missed('the backfill finished') : c > 0 ? c : null;
      },
      first,
    );
    await first.kill9();
    killPoints.push(`backfill at ${seen}/${n} threads (bulk load, indexes dropped)`);
    const after1 = join(expectIntactAfterKill(data), stateDbFileName);
    expect(valueIn(after1, 'SELECT count(*) FROM threads')).toBeLessThan(n);
    // The kill hit the bulk load: the secondary indexes were dropped, waiting to be rebuilt.
    expect(valueIn(after1, 'SELECT count(*) FROM suspended_indexes')).toBeGreaterThan(0);

    // 2. Restart: the backfill completes; killed while the content index is part-way through its build.
    const second = track(spawnServe(home, data));
    const partial = await waitFor(
      'part of the content index committed',
      () => {
        const c = threads() === n ? indexed() : 0;
        return c >= n ? missed('the content index was built') : c > 0 ? c : null;
      },
      second,
    );
    await second.kill9();
    killPoints.push(`content indexing at ${partial}/${n} files`);
    const after2 = expectIntactAfterKill(data);
    expect(valueIn(join(after2, searchDbFileName), 'SELECT count(*) FROM search_files')).toBeLessThan(n);
    expect(valueIn(join(after2, stateDbFileName), 'SELECT count(*) FROM threads')).toBe(n);

    // 3. Restart: the index build resumes and completes; then a clean stop.
    const third = track(spawnServe(home, data));
    await waitFor(
      'the content index complete',
      () =>
        indexed() === n &&
        peek(searchDb, "SELECT value FROM search_meta WHERE key = 'build_complete'") === '1',
      third,
    );
    expect(await third.stop(), third.stderr()).toBe('0');

    for (const name of DBS)
      expect(integrity(join(data, name), name === searchDbFileName ? ['search_docs'] : []), name).toBe('ok');
    const db = new Database(stateDb, { readonly: true });
    try {
      const ids = db.prepare('SELECT id FROM threads ORDER BY id').pluck().all() as string[];
      expect(ids).toEqual(synth.threads.map((t) => t.id).sort());
      const paths = db.prepare('SELECT path FROM rollout_files ORDER BY path').pluck().all() as string[];
      expect(paths).toEqual(synth.threads.map((t) => t.path).sort());
      expect(db.prepare('SELECT count(DISTINCT rollout_path) FROM threads').pluck().get()).toBe(n);
      // The bulk load's dropped secondary indexes were rebuilt after the crash.
      expect(db.prepare('SELECT count(*) FROM suspended_indexes').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    const search = openSearchDb(data, stateDb);
    try {
      const repo = createSearchFilesRepo(search);
      expect(repo.stale()).toEqual([]);
      expect(repo.coverage()).toMatchObject({ filesDone: n, filesTotal: n });
      const files = search.prepare('SELECT path FROM search_files ORDER BY path').pluck().all();
      expect(files).toEqual(synth.threads.map((t) => t.path).sort());
      const hits = search.prepare("SELECT count(*) FROM search_docs WHERE search_docs MATCH 'rollout'");
      expect(hits.pluck().get()).toBeGreaterThan(0);
    } finally {
      search.close();
    }
  }, 60_000);

  it('survives SIGKILL mid 50,000-row log burst through the logs worker: usage matches rows, caps hold', async () => {
    const data = dir();
    openLogsDb(data).close();
    const file = join(data, logsDbFileName);
    const caps = { maxRows: 1000, maxBytes: 64 * 1024 };
    const burst = (rows: number): Child =>
      track(
        spawnChild([
          join(repoRoot, 'main/test-support/crash-child.ts'),
          'log-burst',
          file,
          logsWorkerJs,
          String(rows),
          String(caps.maxRows),
          String(caps.maxBytes),
        ]),
      );
    const committed = (c: Child): number => {
      const last = c.lines.findLast((l) => l.startsWith('committed '));
      return last ? Number(last.slice('committed '.length)) : 0;
    };
    const expectConsistent = (f: string): void => {
      expect(integrity(f)).toBe('ok');
      const db = new Database(f, { readonly: true });
      try {
        const stored = db
          .prepare('SELECT partition_key AS k, row_count, byte_count FROM log_partition_usage ORDER BY k')
          .all() as { k: string; row_count: number; byte_count: number }[];
        const recount = [...partitionUsageFromLogs(db)]
          .map(([k, u]) => ({ k, ...u }))
          .sort((a, b) => (a.k < b.k ? -1 : 1));
        expect(stored).toEqual(recount);
        expect(stored.length).toBeGreaterThanOrEqual(21);
        for (const u of stored) {
          expect(u.row_count, u.k).toBeLessThanOrEqual(caps.maxRows);
          expect(u.byte_count, u.k).toBeLessThanOrEqual(caps.maxBytes);
        }
      } finally {
        db.close();
      }
    };

    let before = 0;
    for (const round of [1, 2]) {
      const child = burst(50_000);
      // Mid-burst: ~15,000 rows past what the previous run left, well short of its 50,000.
      const at = await waitFor(
        `burst ${round} at 15,000 rows`,
        () => {
          const id = committed(child);
          return id >= before + 15_000 ? id : null;
        },
        child,
      );
      await child.kill9();
      expect(child.lines.some((l) => l.startsWith('done'))).toBe(false);
      const copy = dir();
      snapshotDbs(data, copy, [logsDbFileName]);
      expectConsistent(join(copy, logsDbFileName));
      const onDisk = Number(valueIn(join(copy, logsDbFileName), 'SELECT max(id) FROM logs'));
      expect(onDisk).toBeGreaterThanOrEqual(at);
      killPoints.push(`log burst ${round} at row ${onDisk - before}/50000`);
      before = onDisk;
    }
    // Restart: a short run completes on the crashed files and the end state is consistent.
    const last = burst(3000);
    await waitFor('the last burst done', () => last.lines.includes('done 0'), last);
    expect(await last.exited).toBe('0');
    expect(Number(valueIn(file, 'SELECT max(id) FROM logs'))).toBeGreaterThanOrEqual(before + 3000);
    expectConsistent(file);
  }, 60_000);

  it('survives SIGKILL in memories phase 1 and phase 2: leases recover every job, no torn file', async () => {
    const points = await memoriesCrashScenario({ dir, track, expectIntactAfterKill });
    killPoints.push(...points);
    expect(points).toHaveLength(2);
  }, 60_000);
});
