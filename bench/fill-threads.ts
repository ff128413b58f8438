import type { ThreadMeta } from '../main/rollouts/types.ts';
import { openStateDb } from '../main/state/state-db.ts';
import { createThreadRepo } from '../main/state/thread-repo.ts';
import { createRng, uuidV7 } from '../main/test-support/synthetic-rollouts.ts';

export const CWDS = Array.from(
  { length: 20 },
  (_, i) => `/home/dev/src/project-${String(i).padStart(2, '0')}`,
);
const MODELS = [
  'gpt-5-codex',
  'gpt-5.1-codex',
  'gpt-5.1-codex-max',
  'gpt-5.2-codex',
  'gpt-5.4-mini',
  'gpt-5.5',
];
const SOURCES = ['cli', 'cli', 'vscode', 'exec'];
export const WORDS = [
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

/**
 * 100k plausible thread rows straight through the repo in one transaction (no rollout files, no
 * rollout_files records, so a scan of an empty CODEX_HOME leaves them alone); returns the time taken.
 */
export function fillThreads(dataDir: string, rows: number, seed: number): number {
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
