import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAppCore } from '../main/app/app-core.ts';
import { builtWorkers } from '../main/app/worker-url.ts';
import { searchDbFileName } from '../main/search/search-db.ts';
import { createRng } from '../main/test-support/synthetic-rollouts.ts';
import { splitParse, statWalk } from './ceilings.ts';
import { startProbes, type ProbeResult } from './probes.ts';
import { profiled } from './section-profiler.ts';
import { percentile } from './stats.ts';

export interface SearchInput {
  codexHome: string;
  dataDir: string;
  calls?: number;
  seed?: number;
}

export interface SearchBuildOutput {
  files: number;
  bytes: number;
  ceilingMs: number[];
  backfillMs: number;
  buildMs: number;
  filesIndexed: number;
  docs: number;
  indexBytes: number;
  probes: ProbeResult;
  /** RSS when the build started (after the metadata backfill); the build's own peak is probes.sampledPeakRssMb. */
  rssAtBuildStartMb: number;
  /** The longest event-loop gaps, with when they happened in the build. */
  gapNotes: string[];
}

const timed = <T>(f: () => T): { ms: number; value: T } => {
  const t = performance.now();
  const value = f();
  return { ms: performance.now() - t, value };
};

/**
 * Metadata backfill (not measured here), then the content index build on the search worker, timed from
 * the end of the backfill to an idle indexer, with event-loop probes on the main thread. The ceiling
 * (split + decode + JSON.parse of every line) runs over the same warm files just before.
 */
export async function searchBuildPhase({ codexHome, dataDir }: SearchInput): Promise<SearchBuildOutput> {
  const walk = statWalk(codexHome);
  splitParse(walk.files.slice(0, 200)); // warm-up of the code path; the backfill warms the page cache
  const core = await createAppCore({
    codexHome,
    dataDir,
    shell: 'test',
    watch: false,
    workers: builtWorkers(pathToFileURL(process.argv[1] ?? '').href),
  });
  const t0 = performance.now();
  // start() resolves after the metadata backfill and starts the index build in the background.
  await core.start();
  const t1 = performance.now();
  const rssAtBuildStartMb = process.memoryUsage.rss() / 1e6;
  const progress: { t: number; filesDone: number }[] = [];
  core.bus.subscribe((name, payload) => {
    if (name === 'search:progress')
      progress.push({ t: performance.now(), filesDone: (payload as { filesDone: number }).filesDone });
  });
  const probes = startProbes();
  await profiled('search-build', () => core.search.idle());
  const buildMs = performance.now() - t1;
  const probe = probes.stop();
  const status = core.search.progress();
  const docs =
    (core.search.db.prepare('SELECT sum(docs) FROM search_files').pluck().get() as number | null) ?? 0;
  await core.close();
  const ceilings = [0, 1, 2].map(() => timed(() => splitParse(walk.files)));
  return {
    files: walk.files.length,
    bytes: walk.bytes,
    ceilingMs: ceilings.map((c) => c.ms),
    backfillMs: t1 - t0,
    buildMs,
    filesIndexed: status.filesDone,
    docs,
    indexBytes: statSync(join(dataDir, searchDbFileName)).size,
    probes: probe,
    rssAtBuildStartMb,
    gapNotes: probe.topGaps.map((g) => {
      const before = progress.filter((p) => p.t <= g.startMs).at(-1);
      return `${g.blockMs.toFixed(1)} ms at +${((g.startMs - t1) / 1000).toFixed(2)} s of ${(buildMs / 1000).toFixed(2)} s (${before?.filesDone ?? 0} files indexed); GC inside ${g.gcMs.toFixed(1)} ms`;
    }),
  };
}

export interface SearchQueryKind {
  name: string;
  example: string;
  calls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  threads: number;
}

export interface SearchQueryOutput {
  kinds: SearchQueryKind[];
}

/** Tokens that occur in a few documents of the corpus: ticket numbers of user requests (`(ticket #4821)`). */
function rareTokens(files: string[], n: number, seed: number): string[] {
  const r = createRng(seed);
  const out: string[] = [];
  const buf = Buffer.alloc(1 << 16);
  for (let tries = 0; out.length < n && tries < n * 20; tries++) {
    const path = files[Math.floor(r() * files.length)];
    if (!path) break;
    const fd = openSync(path, 'r');
    const read = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    const m = /\(ticket #(\d{3,4})\)/.exec(buf.toString('latin1', 0, read));
    if (m?.[1] && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

/** Query latency by term class over the index built by searchBuildPhase, page 1 of 20 threads. */
export async function searchQueryPhase({
  codexHome,
  dataDir,
  calls = 200,
  seed = 1,
}: SearchInput): Promise<SearchQueryOutput> {
  const core = await createAppCore({ codexHome, dataDir, shell: 'test', watch: false });
  const query = core.handlers['search:query'];
  const ctx = { transport: 'test' as const };
  const rare = rareTokens(statWalk(codexHome).files, 20, seed);
  if (rare.length === 0) throw new Error('no rare token found in the corpus');
  const kinds: { name: string; queries: string[]; prefix?: boolean }[] = [
    { name: 'rare word', queries: rare },
    { name: 'absent word', queries: ['zyxwvutsrq'] },
    { name: 'common word', queries: ['parser'] },
    { name: 'two common words', queries: ['render cursor'] },
    { name: 'phrase', queries: ['"cache query"'] },
    { name: 'prefix as typed', queries: ['rend', 'curs', 'hand'], prefix: true },
    { name: 'common word + cwd:', queries: ['parser cwd:billing'] },
    { name: 'rare word + cwd:', queries: rare.map((t) => `${t} cwd:billing`) },
    { name: 'common word + tool:', queries: ['parser tool:apply_patch'] },
  ];
  const run = async (q: string, prefix: boolean): Promise<number> =>
    (await query({ query: q, limit: 20, cursor: null, prefixLast: prefix }, ctx)).threads.length;
  const threads = await Promise.all(kinds.map((k) => run(k.queries[0] ?? '', k.prefix ?? false)));
  for (const k of kinds)
    for (let i = 0; i < 5; i++) await run(k.queries[i % k.queries.length] ?? '', k.prefix ?? false);
  const samples = kinds.map(() => [] as number[]);
  await profiled('search-query', async () => {
    for (let i = 0; i < calls; i++) {
      for (const [j, k] of kinds.entries()) {
        const t = performance.now();
        await run(k.queries[i % k.queries.length] ?? '', k.prefix ?? false);
        samples[j]?.push(performance.now() - t);
      }
    }
  });
  await core.close();
  return {
    kinds: kinds.map((k, j) => {
      const s = samples[j] ?? [];
      return {
        name: k.name,
        example: k.queries[0] ?? '',
        calls: s.length,
        p50Ms: percentile(s, 50),
        p99Ms: percentile(s, 99),
        maxMs: percentile(s, 100),
        threads: threads[j] ?? 0,
      };
    }),
  };
}
