import type { Thread } from '../../preload/contract/index.ts';
import type { DynamicTool, ThreadMeta } from '../rollouts/types.ts';
import type { Db } from './connection.ts';
import { rowToThread, THREAD_COLUMNS, type ThreadRow } from './thread-row.ts';

/** The fold's view of a stored thread (resume continues from exactly what was written). */
export function threadToMeta(t: Thread): ThreadMeta {
  return {
    id: t.id,
    rolloutPath: t.rolloutPath,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    source: t.source,
    modelProvider: t.modelProvider,
    cwd: t.cwd,
    title: t.title,
    sandboxPolicy: t.sandboxPolicy,
    approvalMode: t.approvalMode,
    tokensUsed: t.tokensUsed,
    archived: t.archived,
    archivedAt: t.archivedAt,
    gitSha: t.gitSha,
    gitBranch: t.gitBranch,
    gitOriginUrl: t.gitOriginUrl,
    cliVersion: t.cliVersion,
    firstUserMessage: t.firstUserMessage ?? '',
    agentNickname: t.agentNickname,
    agentRole: t.agentRole,
    model: t.model,
    reasoningEffort: t.reasoningEffort,
    originator: t.originator,
    parentThreadId: t.parentThreadId,
    forkedFromId: t.forkedFromId,
    agentDepth: t.agentDepth,
  };
}

export interface ThreadUpsert {
  meta: ThreadMeta;
  /** Explicit memory_mode from the rollout: set when present; otherwise an existing row keeps its mode. */
  memoryMode: string | null;
  dynamicTools: DynamicTool[] | null;
}

/**
 * Seed §2.4 step 5 "prefer existing git info", plus: a field the user cleared (thread_edits) stays
 * NULL. CASE evaluates lazily, so the edits lookup runs only when the stored value is NULL and the
 * rollout has one, never on the common path.
 */
const keepGit = (col: 'git_sha' | 'git_branch' | 'git_origin_url'): string =>
  `CASE WHEN threads.${col} IS NOT NULL OR excluded.${col} IS NULL THEN threads.${col}
        WHEN EXISTS (SELECT 1 FROM thread_edits e WHERE e.thread_id = threads.id AND e.${col}_set = 1) THEN NULL
        ELSE excluded.${col} END`;

/**
 * Repositories are built once per connection so every statement is prepared once.
 * Upsert semantics (seed §2.3, §2.4 step 5, §3.6 step 5): all metadata columns are overwritten,
 * except that an existing non-null git column wins over the rollout's value (SQLite is
 * authoritative for edited git metadata; a cleared one stays cleared, see keepGit) and an existing
 * archived_at is kept.
 */
export function createThreadRepo(db: Db) {
  // Positional parameters: binding 27 named values from an object cost ~15% of a backfill's inserts.
  // The last parameter repeats memory_mode for the conflict branch.
  const upsert = db.prepare(`
    INSERT INTO threads (id, rollout_path, created_at, updated_at, source, model_provider, cwd, title, sandbox_policy,
      approval_mode, tokens_used, archived, archived_at, git_sha, git_branch, git_origin_url, cli_version,
      first_user_message, agent_nickname, agent_role, memory_mode, model, reasoning_effort, originator,
      parent_thread_id, forked_from_id, agent_depth)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, 'enabled'), ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET
      rollout_path = excluded.rollout_path,
      created_at = excluded.created_at,
      updated_at = excluded.updated_at,
      source = excluded.source,
      model_provider = excluded.model_provider,
      cwd = excluded.cwd,
      title = excluded.title,
      sandbox_policy = excluded.sandbox_policy,
      approval_mode = excluded.approval_mode,
      tokens_used = excluded.tokens_used,
      archived = excluded.archived,
      archived_at = CASE WHEN excluded.archived = 1 THEN COALESCE(threads.archived_at, excluded.archived_at) ELSE NULL END,
      git_sha = ${keepGit('git_sha')},
      git_branch = ${keepGit('git_branch')},
      git_origin_url = ${keepGit('git_origin_url')},
      cli_version = excluded.cli_version,
      first_user_message = excluded.first_user_message,
      agent_nickname = excluded.agent_nickname,
      agent_role = excluded.agent_role,
      memory_mode = COALESCE(?, threads.memory_mode),
      model = excluded.model,
      reasoning_effort = excluded.reasoning_effort,
      originator = excluded.originator,
      parent_thread_id = excluded.parent_thread_id,
      forked_from_id = excluded.forked_from_id,
      agent_depth = excluded.agent_depth`);
  const insertTool =
    db.prepare(`INSERT INTO thread_dynamic_tools (thread_id, position, name, description, input_schema)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT(thread_id, position) DO NOTHING`);
  const getOne = db.prepare(`SELECT ${THREAD_COLUMNS} FROM threads WHERE id = ?`);
  const children = db.prepare(
    `SELECT ${THREAD_COLUMNS} FROM threads WHERE parent_thread_id = ? OR forked_from_id = ? ORDER BY created_at, id`,
  );
  const deleteOne = db.prepare('DELETE FROM threads WHERE id = ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM threads');
  const tools = db.prepare(
    'SELECT position, name, description, input_schema FROM thread_dynamic_tools WHERE thread_id = ? ORDER BY position',
  );

  function upsertOne({ meta: m, memoryMode, dynamicTools }: ThreadUpsert): void {
    upsert.run(
      m.id,
      m.rolloutPath,
      m.createdAt,
      m.updatedAt,
      m.source,
      m.modelProvider,
      m.cwd,
      m.title,
      m.sandboxPolicy,
      m.approvalMode,
      m.tokensUsed,
      m.archived ? 1 : 0,
      m.archived ? (m.archivedAt ?? m.updatedAt) : null,
      m.gitSha,
      m.gitBranch,
      m.gitOriginUrl,
      m.cliVersion,
      m.firstUserMessage,
      m.agentNickname,
      m.agentRole,
      memoryMode,
      m.model,
      m.reasoningEffort,
      m.originator,
      m.parentThreadId,
      m.forkedFromId,
      m.agentDepth,
      memoryMode,
    );

    // Seed §2.3: tools are written once at their index and never changed.
    dynamicTools?.forEach((t, i) => {
      insertTool.run(m.id, i, t.name, t.description, JSON.stringify(t.inputSchema ?? null));
    });
  }

  return {
    upsert: upsertOne,
    get(id: string): Thread | null {
      const row = getOne.get(id) as ThreadRow | undefined;
      return row ? rowToThread(row) : null;
    },
    children(id: string): Thread[] {
      return (children.all(id, id) as ThreadRow[]).map(rowToThread);
    },
    delete(id: string): boolean {
      return deleteOne.run(id).changes > 0;
    },
    count(): number {
      return (count.get() as { n: number }).n;
    },
    dynamicTools(id: string): DynamicTool[] {
      return (tools.all(id) as { name: string; description: string; input_schema: string }[]).map((t) => ({
        name: t.name,
        description: t.description,
        inputSchema: JSON.parse(t.input_schema) as unknown,
      }));
    },
  };
}

export type ThreadRepo = ReturnType<typeof createThreadRepo>;
