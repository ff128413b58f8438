import type { IngestSummary } from '../preload/contract/index.ts';
import { createAppCore } from '../main/app/app-core.ts';
import { readScan, statWalk } from './ceilings.ts';
import { profiled } from './section-profiler.ts';
import { startProbes, type Gap, type ProbeResult } from './probes.ts';
import { pathToFileURL } from 'node:url';
import { builtWorkers } from '../main/app/worker-url.ts';

export interface IngestInput {
  codexHome: string;
  dataDir: string;
  runs?: number;
}

export interface SummaryLite {
  filesSeen: number;
  filesIngested: number;
  filesUnchanged: number;
  threadsUpserted: number;
  problems: number;
}
const lite = (s: IngestSummary): SummaryLite => ({
  filesSeen: s.filesSeen,
  filesIngested: s.filesIngested,
  filesUnchanged: s.filesUnchanged,
  threadsUpserted: s.threadsUpserted,
  problems: s.problems.length,
});

const timed = <T>(f: () => T): { ms: number; value: T } => {
  const t = performance.now();
  const value = f();
  return { ms: performance.now() - t, value };
};

export interface BackfillOutput {
  files: number;
  bytes: number;
  lines: number;
  readOnlyMs: number;
  ceilingMs: number[];
  openMs: number;
  backfillMs: number;
  summary: SummaryLite;
  probes: ProbeResult;
  /** What the ingest was doing during the longest event-loop gaps. */
  gapNotes: string[];
  logLines: string[];
}

interface BusEvent {
  t: number;
  name: string;
  payload: unknown;
}

/** Attributes one gap: bus events emitted inside it happened in the blocking task itself. */
function describeGap(g: Gap, events: BusEvent[], t0: number): string {
  const end = g.startMs + g.blockMs;
  const inside = events.filter((e) => e.t >= g.startMs && e.t <= end + 5);
  const before = events.filter((e) => e.t < g.startMs && e.name === 'ingest:progress').at(-1);
  const p = before?.payload as { phase?: string; filesDone?: number; filesTotal?: number } | undefined;
  const kinds = [...new Set(inside.map((e) => e.name))].join(', ') || 'none';
  return (
    `${g.blockMs.toFixed(1)} ms at +${((g.startMs - t0) / 1000).toFixed(2)} s ` +
    `(${p?.phase ?? 'start'}, ` +
    `${p?.filesDone ?? 0}/${p?.filesTotal ?? '?'} files); events emitted inside: ${kinds}; GC inside: ${g.gcMs.toFixed(1)} ms`
  );
}

/** Cold metadata backfill on a fresh data dir, with its ceiling measured just before over the same (warm) files. */
export async function backfillPhase({ codexHome, dataDir }: IngestInput): Promise<BackfillOutput> {
  const walk = statWalk(codexHome);
  readScan(walk.files); // warm the page cache once: both sides of the ratio then read from memory
  const readOnlyMs = timed(() => readScan(walk.files, false)).ms;
  const ceilings = [0, 1, 2, 3, 4].map(() => timed(() => readScan(walk.files)));
  const logLines: string[] = [];
  const t0 = performance.now();
  const core = await createAppCore({
    codexHome,
    dataDir,
    shell: 'test',
    watch: false,
    workers: builtWorkers(pathToFileURL(process.argv[1] ?? '').href),
    log: (m) => logLines.push(m),
  });
  const openMs = performance.now() - t0;
  const events: BusEvent[] = [];
  core.bus.subscribe((name, payload) => events.push({ t: performance.now(), name, payload }));
  // Probes cover start() only; creating the core (DB open + migrations, synchronous) is reported as openMs.
  const probes = startProbes();
  const t = performance.now();
  const summary = await profiled('backfill', () => core.start());
  const backfillMs = performance.now() - t;
  const probe = probes.stop();
  await core.close();
  return {
    files: walk.files.length,
    bytes: walk.bytes,
    lines: ceilings[0]?.value.lines ?? 0,
    readOnlyMs,
    ceilingMs: ceilings.map((c) => c.ms),
    openMs,
    gapNotes: probe.topGaps.map((g) => describeGap(g, events, t)),
    backfillMs,
    summary: lite(summary),
    probes: probe,
    logLines: logLines.slice(0, 20),
  };
}

export interface RescanOutput {
  files: number;
  statWalkMs: number[];
  rescanMs: number[];
  openMs: number[];
  summary: SummaryLite;
}

/** Re-scans of the unchanged corpus, each on a new core over the backfilled data dir, against a bare stat walk. */
export async function rescanPhase({ codexHome, dataDir, runs = 5 }: IngestInput): Promise<RescanOutput> {
  const warm = statWalk(codexHome); // warm the dentry/inode caches for both sides
  const statWalkMs = Array.from({ length: 5 }, () => timed(() => statWalk(codexHome)).ms);
  const rescanMs: number[] = [];
  const openMs: number[] = [];
  let summary: IngestSummary | null = null;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const core = await createAppCore({
      codexHome,
      dataDir,
      shell: 'test',
      watch: false,
      workers: builtWorkers(pathToFileURL(process.argv[1] ?? '').href),
    });
    openMs.push(performance.now() - t0);
    const t = performance.now();
    summary = await profiled(`rescan-${i}`, () => core.start());
    rescanMs.push(performance.now() - t);
    await core.close();
  }
  if (!summary) throw new Error('no re-scan ran');
  return { files: warm.files.length, statWalkMs, rescanMs, openMs, summary: lite(summary) };
}
