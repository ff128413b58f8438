import type { Thread } from '../../preload/contract/index.ts';

/** The `threads` row as SQLite returns it (snake_case); mapped to camelCase only here. */
export interface ThreadRow {
  id: string;
  rollout_path: string;
  created_at: number;
  updated_at: number;
  source: string;
  model_provider: string;
  cwd: string;
  title: string;
  sandbox_policy: string;
  approval_mode: string;
  tokens_used: number;
  archived: number;
  archived_at: number | null;
  git_sha: string | null;
  git_branch: string | null;
  git_origin_url: string | null;
  cli_version: string;
  first_user_message: string;
  agent_nickname: string | null;
  agent_role: string | null;
  memory_mode: string;
  model: string | null;
  reasoning_effort: string | null;
  originator: string | null;
  parent_thread_id: string | null;
  forked_from_id: string | null;
  agent_depth: number | null;
}

export const THREAD_COLUMNS = `id, rollout_path, created_at, updated_at, source, model_provider, cwd, title, sandbox_policy,
  approval_mode, tokens_used, archived, archived_at, git_sha, git_branch, git_origin_url, cli_version, first_user_message,
  agent_nickname, agent_role, memory_mode, model, reasoning_effort, originator, parent_thread_id, forked_from_id, agent_depth`;

export function rowToThread(r: ThreadRow): Thread {
  return {
    id: r.id,
    rolloutPath: r.rollout_path,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    source: r.source,
    modelProvider: r.model_provider,
    model: r.model,
    reasoningEffort: r.reasoning_effort,
    cwd: r.cwd,
    title: r.title,
    firstUserMessage: r.first_user_message === '' ? null : r.first_user_message,
    cliVersion: r.cli_version,
    originator: r.originator,
    gitSha: r.git_sha,
    gitBranch: r.git_branch,
    gitOriginUrl: r.git_origin_url,
    agentNickname: r.agent_nickname,
    agentRole: r.agent_role,
    agentDepth: r.agent_depth,
    parentThreadId: r.parent_thread_id,
    forkedFromId: r.forked_from_id,
    archived: r.archived !== 0,
    archivedAt: r.archived_at,
    tokensUsed: r.tokens_used,
    sandboxPolicy: r.sandbox_policy,
    approvalMode: r.approval_mode,
    memoryMode: r.memory_mode,
  };
}
