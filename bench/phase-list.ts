import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedInput } from '../preload/contract/index.ts';
import { createAppCore } from '../main/app/app-core.ts';
import { CWDS, fillThreads, WORDS } from './fill-threads.ts';
import { profiled } from './section-profiler.ts';
import { percentile } from './stats.ts';

export interface ListInput {
  dataDir: string;
  rows: number;
  /** Timed calls per query kind (the title-term kinds get a third). */
  callsPerKind: number;
  seed: number;
}

export interface ListKind {
  name: string;
  targetP99Ms: number;
  calls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Rows on the first page, to show the filter is not vacuous. */
  firstPageRows: number;
}

export interface ListOutput {
  rows: number;
  fillMs: number;
  kinds: ListKind[];
}

type ListArgs = ParsedInput<'threads:list'>;

export async function listPhase({ dataDir, rows, callsPerKind, seed }: ListInput): Promise<ListOutput> {
  const fillMs = fillThreads(dataDir, rows, seed);
  const emptyHome = join(dataDir, 'empty-codex-home');
  mkdirSync(emptyHome, { recursive: true });
  const core = await createAppCore({ codexHome: emptyHome, dataDir, shell: 'test', watch: false });
  const list = core.handlers['threads:list'];
  const ctx = { transport: 'test' as const };
  const base: ListArgs = {
    limit: 50,
    sortKey: 'updated_at',
    archived: false,
    includeWithoutUserMessage: false,
  };
  const page1 = await list(base, ctx);
  const grouped: ListArgs = { ...base, groupBy: 'project' };
  const groupedPage1 = await list(grouped, ctx);
  const groupedCreated: ListArgs = { ...grouped, sortKey: 'created_at' };
  const groupedCreatedPage1 = await list(groupedCreated, ctx);
  const kinds: { name: string; target: number; args: ListArgs; calls: number }[] = [
    { name: 'unfiltered, page 1', target: 5, args: base, calls: callsPerKind },
    {
      name: 'unfiltered, keyset page 2',
      target: 5,
      args: { ...base, cursor: page1.nextCursor },
      calls: callsPerKind,
    },
    {
      name: 'grouped by project, page 2',
      target: 5,
      args: { ...grouped, cursor: groupedPage1.nextCursor },
      calls: callsPerKind,
    },
    {
      name: 'grouped by project (created), page 2',
      target: 5,
      args: { ...groupedCreated, cursor: groupedCreatedPage1.nextCursor },
      calls: callsPerKind,
    },
    { name: 'cwd filter (common project)', target: 5, args: { ...base, cwd: CWDS[0] }, calls: callsPerKind },
    {
      name: 'cwd filter (rare project)',
      target: 5,
      args: { ...base, cwd: CWDS.at(-1) },
      calls: callsPerKind,
    },
    { name: 'model filter', target: 5, args: { ...base, models: ['gpt-5.5'] }, calls: callsPerKind },
    {
      name: 'cwd + model filter',
      target: 5,
      args: { ...base, cwd: CWDS[3], models: ['gpt-5.2-codex'] },
      calls: callsPerKind,
    },
    {
      name: 'title term (common word)',
      target: 15,
      args: { ...base, searchTerm: WORDS[0] ?? 'fix' },
      calls: Math.ceil(callsPerKind / 3),
    },
    {
      name: 'title term (one thread, old)',
      target: 15,
      args: { ...base, searchTerm: `(#${Math.floor(rows / 10)})` },
      calls: Math.ceil(callsPerKind / 3),
    },
    {
      name: 'title term (absent)',
      target: 15,
      args: { ...base, searchTerm: 'no-such-term' },
      calls: Math.ceil(callsPerKind / 3),
    },
  ];
  const samples = kinds.map(() => [] as number[]);
  const firstRows = await Promise.all(kinds.map(async (k) => (await list(k.args, ctx)).items.length));
  // Warm-up (statement preparation, page cache), then interleave the kinds so drift hits all alike.
  for (const k of kinds) for (let i = 0; i < 20; i++) await list(k.args, ctx);
  const rounds = Math.max(...kinds.map((k) => k.calls));
  await profiled('list', async () => {
    for (let i = 0; i < rounds; i++) {
      for (const [j, k] of kinds.entries()) {
        if (i >= k.calls) continue;
        const t = performance.now();
        await list(k.args, ctx);
        samples[j]?.push(performance.now() - t);
      }
    }
  });
  await core.close();
  return {
    rows,
    fillMs,
    kinds: kinds.map((k, j) => {
      const s = samples[j] ?? [];
      return {
        name: k.name,
        targetP99Ms: k.target,
        calls: s.length,
        p50Ms: percentile(s, 50),
        p99Ms: percentile(s, 99),
        maxMs: percentile(s, 100),
        firstPageRows: firstRows[j] ?? 0,
      };
    }),
  };
}
