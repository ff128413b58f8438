/**
 * Fixed constants of Codex's memories pipeline (seed §5.3, `codex-rs/core/src/memories/mod.rs`), the job
 * kinds of the `jobs` table (§1.4, §5.5) and the `[memories]` config defaults (§5.2). Times are seconds.
 */

/** `jobs.kind` of a per-thread phase-1 extraction; its `job_key` is the thread id (§1.4). */
export const STAGE1_JOB_KIND = 'memory_stage1';
/** `jobs.kind` of the single phase-2 consolidation job (§5.10). */
export const GLOBAL_JOB_KIND = 'memory_consolidate_global';
/** `jobs.job_key` of the phase-2 job. */
export const GLOBAL_JOB_KEY = 'global';

/** Default retry budget of both job kinds; a new claim at a newer snapshot / a new enqueue refills it. */
export const DEFAULT_RETRY_REMAINING = 3;

/** Phase-1 thread scan limit (rows of the candidate query). */
export const PHASE1_SCAN_LIMIT = 5000;
/** Phase-1 job lease (no heartbeat). */
export const PHASE1_LEASE_SECONDS = 3600;
/** Phase-1 retry delay after a failed extraction. */
export const PHASE1_RETRY_DELAY_SECONDS = 3600;
/** Phase-1 parallel extractions. */
export const PHASE1_CONCURRENCY = 8;
/** Sources whose threads phase 1 extracts (exact match on the stored §1.5 encoding). */
export const PHASE1_ALLOWED_SOURCES: readonly string[] = ['cli', 'vscode'];
/** Stage-1 rollout token budget when the model reports no positive context window. */
export const PHASE1_FALLBACK_TOKEN_BUDGET = 150_000;
/** Share of the effective context window given to the rollout (percent). */
export const PHASE1_CONTEXT_WINDOW_PERCENT = 70;

/** Phase-2 job lease. */
export const PHASE2_LEASE_SECONDS = 3600;
/** Phase-2 retry delay after a failed consolidation. */
export const PHASE2_RETRY_DELAY_SECONDS = 3600;
/** Phase-2 heartbeat period (missed ticks skipped). */
export const PHASE2_HEARTBEAT_SECONDS = 90;

/** Stage-1 rows pruned per startup (§5.6). */
export const PRUNE_BATCH_SIZE = 200;
/** Memory-summary injection cap (tokens, 4 bytes per token). */
export const MEMORY_SUMMARY_TOKEN_CAP = 5000;
/** Token approximation used by the truncation helpers. */
export const BYTES_PER_TOKEN = 4;

/** Models used when the config names none. */
export const DEFAULT_EXTRACT_MODEL = 'gpt-5.1-codex-mini';
export const DEFAULT_CONSOLIDATION_MODEL = 'gpt-5.3-codex';

export const SECONDS_PER_DAY = 86_400;
export const SECONDS_PER_HOUR = 3600;

/** `[memories]` config defaults (§5.2); clamps live with the config loader. */
export const MEMORY_CONFIG_DEFAULTS = {
  generateMemories: true,
  useMemories: true,
  noMemoriesIfMcpOrWebSearch: false,
  maxRawMemoriesForConsolidation: 256,
  maxUnusedDays: 30,
  maxRolloutAgeDays: 30,
  maxRolloutsPerStartup: 16,
  minRolloutIdleHours: 6,
} as const;

/** `threads.memory_mode` values (§5.4). */
export type MemoryMode = 'enabled' | 'disabled' | 'polluted';
