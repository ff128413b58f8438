/**
 * Threadscope benchmarks (docs: shared/docs/perf.md). Prints figures and ratios against ceilings measured
 * in the same run; never asserts.
 *   npm run bench [-- --quick] [--json FILE] [--cpu-prof] [--keep] [--seed N] [--only backfill,rescan,list,transcript,search,search-query,render,logs,logs-query]
 * --cpu-prof profiles only the measured sections (.bench/prof-<pid>/) and prints their top self-time functions;
 * --keep leaves the run's data dirs in .bench/run-<pid>/. Each measurement runs in a fresh child process of
 * this same bundle (see child.ts); generated corpora are cached in .bench/ (see corpus.ts, logs-corpus.ts).
 */
import { cpus } from 'node:os';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { childMain, runInChild, snapshotBundle, type ChildOptions } from './child.ts';
import { ensureCorpus, ensureLargeRollout, LARGE_ID, repoRoot } from './corpus.ts';
import { logsMetrics, logsQueryMetrics } from './logs-metrics.ts';
import {
  backfillMetrics,
  listMetrics,
  renderMetrics,
  rescanMetric,
  searchBuildMetrics,
  searchQueryMetrics,
  transcriptMetric,
} from './metrics.ts';
import { backfillPhase, rescanPhase, type BackfillOutput, type RescanOutput } from './phase-ingest.ts';
import { listPhase, type ListOutput } from './phase-list.ts';
import { logsPhase, type LogsOutput } from './phase-logs.ts';
import { logsQueryPhase, type LogsQueryOutput } from './phase-logs-query.ts';
import { renderPhase, type RenderOutput } from './phase-render.ts';
import {
  searchBuildPhase,
  searchQueryPhase,
  type SearchBuildOutput,
  type SearchQueryOutput,
} from './phase-search.ts';
import {
  transcriptIngestPhase,
  transcriptPhase,
  type TranscriptIngestOutput,
  type TranscriptOutput,
} from './phase-transcript.ts';
import { summarizeProfiles } from './profile-summary.ts';
import { printMetric, printSummary, writeJson, type Metric } from './report.ts';
import { fmt, MB } from './stats.ts';

const phases = {
  backfill: backfillPhase,
  rescan: rescanPhase,
  list: listPhase,
  'transcript-ingest': transcriptIngestPhase,
  transcript: transcriptPhase,
  'search-build': searchBuildPhase,
  'search-query': searchQueryPhase,
  render: renderPhase,
  logs: logsPhase,
  'logs-query': logsQueryPhase,
};

interface Args {
  quick: boolean;
  json: string | null;
  cpuProf: boolean;
  keep: boolean;
  seed: number;
  only: Set<string> | null;
  phase: { name: string; inFile: string; outFile: string } | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, json: null, cpuProf: false, keep: false, seed: 1, only: null, phase: null };
  const phase = { name: '', inFile: '', outFile: '' };
  const value = (i: number): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${argv[i]} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') a.quick = true;
    else if (arg === '--cpu-prof') a.cpuProf = true;
    else if (arg === '--keep') a.keep = true;
    else if (arg === '--json') a.json = value(i++);
    else if (arg === '--seed') a.seed = Number(value(i++));
    else if (arg === '--only') a.only = new Set(value(i++).split(','));
    else if (arg === '--phase') phase.name = value(i++);
    else if (arg === '--in') phase.inFile = value(i++);
    else if (arg === '--out') phase.outFile = value(i++);
    else if (arg !== '--') throw new Error(`unknown argument ${arg}`);
  }
  if (phase.name) a.phase = phase;
  return a;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.phase) {
    await childMain(args.phase.name, args.phase.inFile, args.phase.outFile, phases);
    return 0;
  }
  const cfg = args.quick
    ? { threads: 2_000, corpusBytes: 200 * MB, listRows: 10_000, callsPerKind: 100, transcriptBytes: 20 * MB }
    : {
        threads: 20_000,
        corpusBytes: 2_000 * MB,
        listRows: 100_000,
        callsPerKind: 300,
        transcriptBytes: 100 * MB,
      };
  const wants = (k: string): boolean => !args.only || args.only.has(k);
  const benchDir = join(repoRoot(), '.bench');
  const workDir = join(benchDir, `run-${process.pid}`);
  const cpuProfDir = args.cpuProf ? join(benchDir, `prof-${process.pid}`) : null;
  mkdirSync(workDir, { recursive: true });
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const child: ChildOptions = { workDir, cpuProfDir, script: snapshotBundle(workDir) };
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  const out = (s: string): boolean => process.stdout.write(`${s}\n`);
  out(
    `Threadscope bench (${args.quick ? 'quick' : 'full'}): node ${process.version}, ${cpus().length} x ${cpu}, seed ${args.seed}`,
  );

  const corpus = ensureCorpus(benchDir, cfg.threads, cfg.corpusBytes, args.seed);
  out(
    `corpus: ${fmt(corpus.files, 0)} rollouts, ${fmt(corpus.bytes / MB)} MB at ${corpus.codexHome} ` +
      (corpus.generatedMs === null
        ? '(cached)'
        : `(generated in ${fmt(corpus.generatedMs / 1000)} s, ${fmt(corpus.bytes / MB / (corpus.generatedMs / 1000))} MB/s)`),
  );
  const large = wants('transcript') ? ensureLargeRollout(benchDir, cfg.transcriptBytes, args.seed) : null;
  if (large)
    out(
      `large rollout: ${fmt(large.bytes / MB)} MB ${large.generatedMs === null ? '(cached)' : `(generated in ${fmt(large.generatedMs / 1000)} s)`}`,
    );
  out('');

  const metrics: Metric[] = [];
  const errors: string[] = [];
  const step = async (name: string, f: () => Promise<Metric[]>): Promise<void> => {
    if (!wants(name)) return;
    try {
      const ms = await f();
      ms.forEach(printMetric);
      metrics.push(...ms);
    } catch (err) {
      errors.push(`${name}: ${(err as Error).message}`);
      out(`${name}: ERROR ${(err as Error).message}`);
    }
  };
  const dataDir = join(workDir, 'data-corpus');
  await step('backfill', async () =>
    backfillMetrics(
      await runInChild<BackfillOutput>('backfill', { codexHome: corpus.codexHome, dataDir }, child),
    ),
  );
  await step('rescan', async () => {
    if (!wants('backfill')) throw new Error('the re-scan needs the backfill phase');
    return [
      rescanMetric(
        await runInChild<RescanOutput>('rescan', { codexHome: corpus.codexHome, dataDir, runs: 5 }, child),
      ),
    ];
  });
  await step('list', async () =>
    listMetrics(
      await runInChild<ListOutput>(
        'list',
        {
          dataDir: join(workDir, 'data-list'),
          rows: cfg.listRows,
          callsPerKind: cfg.callsPerKind,
          seed: args.seed,
        },
        child,
      ),
    ),
  );
  await step('transcript', async () => {
    if (!large) return [];
    const input = {
      codexHome: large.codexHome,
      dataDir: join(workDir, 'data-transcript'),
      path: large.path,
      id: LARGE_ID,
    };
    const ingest = await runInChild<TranscriptIngestOutput>('transcript-ingest', input, child);
    return [transcriptMetric(await runInChild<TranscriptOutput>('transcript', input, child), ingest)];
  });

  const searchDir = join(workDir, 'data-search');
  await step('search', async () =>
    searchBuildMetrics(
      await runInChild<SearchBuildOutput>(
        'search-build',
        { codexHome: corpus.codexHome, dataDir: searchDir },
        child,
      ),
    ),
  );
  await step('search-query', async () => {
    if (!wants('search')) throw new Error('the query benchmark needs the search (index build) phase');
    return searchQueryMetrics(
      await runInChild<SearchQueryOutput>(
        'search-query',
        { codexHome: corpus.codexHome, dataDir: searchDir, calls: cfg.callsPerKind, seed: args.seed },
        child,
      ),
    );
  });

  // Log writer with the seed's per-partition caps, through the logs worker as the app runs it, vs raw
  // batched inserts with the same indexes.
  await step('logs', async () =>
    logsMetrics(
      await runInChild<LogsOutput>(
        'logs',
        {
          dataDir: join(workDir, 'data-logs'),
          rows: args.quick ? 50_000 : 200_000,
          threads: 50,
          runs: 3,
          seed: args.seed,
        },
        child,
      ),
    ),
  );

  // Filtered log pages over a cached 5M-row logs DB (1M with --quick), generated on first use.
  await step('logs-query', async () =>
    logsQueryMetrics(
      await runInChild<LogsQueryOutput>(
        'logs-query',
        {
          benchDir,
          rows: args.quick ? 1_000_000 : 5_000_000,
          calls: args.quick ? 30 : 150,
          seed: args.seed,
        },
        child,
      ),
    ),
  );

  // Chromium over the serve shell: frame times while scrolling the thread list and a long transcript.
  await step('render', async () =>
    renderMetrics(
      await runInChild<RenderOutput>(
        'render',
        {
          dataDir: join(workDir, 'data-render'),
          threads: cfg.listRows,
          transcriptLines: 10_000,
          quick: args.quick,
          seed: args.seed,
          keep: args.keep,
        },
        child,
      ),
    ),
  );

  printSummary(metrics, errors);
  if (cpuProfDir) {
    out(
      `\nCPU profiles of the measured sections in ${cpuProfDir} (figures above are perturbed by the profiler):`,
    );
    summarizeProfiles(cpuProfDir).forEach(out);
  }
  if (args.json) {
    writeJson(args.json, {
      mode: args.quick ? 'quick' : 'full',
      config: cfg,
      env: { node: process.version, cpus: cpus().length, cpu, platform: process.platform },
      corpus: { files: corpus.files, bytes: corpus.bytes },
      metrics: metrics.map(({ key, pass, values }) => ({ key, pass, values })),
      errors,
    });
  }
  if (!args.keep) rmSync(workDir, { recursive: true, force: true });
  // Benchmarks report, they do not gate: a missed target still exits 0; only a crashed phase does not.
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
