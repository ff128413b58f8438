/**
 * Shapes shared by the rollout readers (main/rollouts) and their consumers (ingest service, repos).
 * Timestamps are Unix epoch seconds, as the seed stores them.
 */

/** Every column the ingester writes into `threads` (memory_mode is handled separately, see ExtractResult). */
export interface ThreadMeta {
  id: string;
  rolloutPath: string;
  createdAt: number;
  updatedAt: number;
  /** Seed §1.5 encoding: bare string, or compact JSON for object sources. */
  source: string;
  modelProvider: string;
  cwd: string;
  title: string;
  sandboxPolicy: string;
  approvalMode: string;
  tokensUsed: number;
  archived: boolean;
  archivedAt: number | null;
  gitSha: string | null;
  gitBranch: string | null;
  gitOriginUrl: string | null;
  cliVersion: string;
  /** '' encodes "none", as in the seed. */
  firstUserMessage: string;
  agentNickname: string | null;
  agentRole: string | null;
  // Threadscope additions (not in the seed's threads table):
  model: string | null;
  reasoningEffort: string | null;
  originator: string | null;
  parentThreadId: string | null;
  forkedFromId: string | null;
  agentDepth: number | null;
}

export interface DynamicTool {
  name: string;
  description: string;
  inputSchema: unknown;
}

export type RolloutFormat = 'envelope' | 'legacy' | 'unknown';

/**
 * Everything needed to continue folding a file from `offset` after it grew, without re-reading
 * the bytes before it. JSON-serialisable; stored with the file's ingest record.
 */
export interface FoldState {
  version: 1;
  format: RolloutFormat;
  meta: ThreadMeta | null;
  /** Last explicit session_meta memory_mode (matching id), if any. */
  memoryMode: string | null;
  dynamicTools: DynamicTool[] | null;
  /** Latest line timestamp seen (epoch ms), for updated_at from content. */
  lastLineMs: number | null;
  lines: number;
  parseErrors: number;
}

export interface ExtractOptions {
  /** File lives under archived_sessions/. */
  archived: boolean;
  /** Provider to use when the rollout names none (seed: the configured default, normally `openai`). */
  defaultProvider: string;
  /** Continue from a previous extraction of the same file. */
  resume?: { offset: number; state: FoldState };
}

export interface ExtractResult {
  /** null when the file holds no thread (empty, or no metadata builder could be made). */
  meta: ThreadMeta | null;
  memoryMode: string | null;
  dynamicTools: DynamicTool[] | null;
  /** Byte offset just past the last complete (newline-terminated) line: where a resume starts. */
  offset: number;
  state: FoldState;
  parseErrors: number;
  /** Why the file yields no thread (e.g. "empty session file"); null when meta is set. */
  problem: string | null;
}

export interface DiscoveredRollout {
  /** Absolute path. */
  path: string;
  /** Seed watermark: path relative to CODEX_HOME with `/` separators. */
  watermark: string;
  archived: boolean;
  compressed: boolean;
  size: number;
  mtimeMs: number;
  /** Thread id parsed from the file name, when it has one. */
  idFromName: string | null;
}
