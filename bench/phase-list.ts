import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedInput } from '../preload/contract/index.ts';
import { createAppCore } from '../main/app/app-core.ts';
import type { ThreadMeta } from '../main/rollouts/types.ts';
import { openStateDb } from '../main/state/state-db.ts';
import { createThreadRepo } from '../main/state/thread-repo.ts';
import { createRng, uuidV7 } from '../main/test-support/synthetic-rollouts.ts';
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

const CWDS = Array.from({ length: 20 }, (_, i) => `/home/dev/src/project-${String(i).padStart(2, '0')}`);
const MODELS = [
  'gpt-5-codex',
  'gpt-5.1-codex',
  'gpt-5.1-codex-max',
  'gpt-5.2-codex',
  'gpt-5.4-mini',
  'gpt-5.5',
];
const SOURCES = ['cli', 'cli', 'vscode', 'exec'];
const WORDS = [
  'fix',
  'flaky',
  'parser',
  'login',
  'cache',
  'export',
  'migration',
  'thread',
  'list',
  'query',
  'render',
  'docs',
];

/** 100k plausible rows straight through the repo in one transaction: the list query is what is measured, not ingest. */
function fill(dataDir: string, rows: number, seed: number): number {
  const r = createRng(seed);
  const db = openStateDb(dataDir);
  const repo = createThreadRepo(db);
  const start = Date.UTC(2025, 8, 1);
  const t = performance.now();
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const createdMs = start + i * 120_000 + Math.floor(r() * 60_000);
      const id = uuidV7(createdMs, r);
      const title = `${WORDS[Math.floor(r() * WORDS.length)]} the ${WORDS[Math.floor(r() * WORDS.length)]} (#${i})`;
      const meta: ThreadMeta = {
        id,
        rolloutPath: `/codex/sessions/2026/01/01/rollout-2026-01-01T00-00-00-${id}.jsonl`,
        createdAt: Math.floor(createdMs / 1000),
        updatedAt: Math.floor(createdMs / 1000) + Math.floor(r() * 3 * 86_400),
        source: SOURCES[Math.floor(r() * SOURCES.length)] ?? 'cli',
        modelProvider: 'openai',
        // Zipf-like: project-00 holds about a third, project-19 a fraction of a percent.
        cwd: CWDS[Math.min(CWDS.length - 1, Math.floor(CWDS.length * r() ** 2.5))] ?? '/',
        title,
        sandboxPolicy: '{"type":"workspace-write"}',
        approvalMode: 'on-request',
        tokensUsed: Math.floor(r() * 2_000_000),
        archived: r() < 0.1,
        archivedAt: null,
        gitSha: 'a'.repeat(40),
        gitBranch: 'main',
        gitOriginUrl: 'git@github.com:synth/project.git',
        cliVersion: '0.146.0',
        firstUserMessage: r() < 0.95 ? title : '',
        agentNickname: null,
        agentRole: null,
        model: MODELS[Math.floor(r() * MODELS.length)] ?? null,
        reasoningEffort: 'medium',
        originator: 'codex_cli_rs',
        parentThreadId: null,
        forkedFromId: null,
        agentDepth: null,
      };
      repo.upsert({ meta, memoryMode: null, dynamicTools: null });
    }
  })();
  const ms = performance.now() - t;
  db.close();
  return ms;
}

type ListArgs = ParsedInput<'threads:list'>;

export async function listPhase({ dataDir, rows, callsPerKind, seed }: ListInput): Promise<ListOutput> {
  const fillMs = fill(dataDir, rows, seed);
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
  const kinds: { name: string; target: number; args: ListArgs; calls: number }[] = [
    { name: 'unfiltered, page 1', target: 5, args: base, calls: callsPerKind },
    {
      name: 'unfiltered, keyset page 2',
      target: 5,
      args: { ...base, cursor: page1.nextCursor },
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
