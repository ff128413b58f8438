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

/** Thread ids cited by one completed assistant message (seed §5.14), duplicates kept. */
export interface MemoryCitation {
  /** The line's timestamp (epoch ms), null when it has none. */
  atMs: number | null;
  threadIds: string[];
}

/**
 * Seed §5.14 / §5.4 signals found in the newline-terminated lines one extraction pass read (the appended
 * bytes on a resume, the whole file otherwise). Per pass, never part of FoldState.
 */
export interface MemorySignals {
  /** In file order. */
  citations: MemoryCitation[];
  /** An MCP tool call (`function_call` named or namespaced `mcp__…`, `mcp_tool_call_*` event) or a web search call. */
  polluting: boolean;
  /** Timestamp (epoch ms) of the newest such call that has one. */
  pollutingAtMs: number | null;
}

export interface ExtractResult {
  /** null when the file holds no thread (empty, or no metadata builder could be made). */
  meta: ThreadMeta | null;
  /**
   * The last explicit session_meta `memory_mode` among the lines this pass read (null when none of them has
   * one: a resume does not repeat a value an earlier pass reported), and that line's timestamp (epoch ms).
   */
  memoryMode: string | null;
  memoryModeAtMs: number | null;
  dynamicTools: DynamicTool[] | null;
  /** Byte offset just past the last complete (newline-terminated) line: where a resume starts. */
  offset: number;
  /** Where this pass started reading: 0 for the whole file, the resume offset otherwise. */
  readFrom: number;
  memory: MemorySignals;
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
