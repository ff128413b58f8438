import type { ThreadMeta } from '../rollouts/types.ts';

let counter = 0;

/** A complete ThreadMeta with sensible defaults; ids are valid, ordered UUID-shaped strings. */
export function makeMeta(overrides: Partial<ThreadMeta> = {}): ThreadMeta {
  counter += 1;
  const id = overrides.id ?? `00000000-0000-7000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id,
    rolloutPath: `/codex/sessions/2026/03/01/rollout-2026-03-01T10-00-00-${id}.jsonl`,
    createdAt: 1_772_359_200,
    updatedAt: 1_772_359_200,
    source: 'cli',
    modelProvider: 'openai',
    cwd: '/home/alice/app',
    title: 'fix the flaky test',
    sandboxPolicy: '{"type":"read-only"}',
    approvalMode: 'on-request',
    tokensUsed: 0,
    archived: false,
    archivedAt: null,
    gitSha: null,
    gitBranch: null,
    gitOriginUrl: null,
    cliVersion: '0.111.0',
    firstUserMessage: 'fix the flaky test',
    agentNickname: null,
    agentRole: null,
    model: 'gpt-5',
    reasoningEffort: null,
    originator: 'codex_cli_rs',
    parentThreadId: null,
    forkedFromId: null,
    agentDepth: null,
    ...overrides,
  };
}
