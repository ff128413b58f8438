import { z } from 'zod';
import { ThreadId } from './common.ts';
import { method } from './define.ts';

/** The model provider settings (no key is ever stored: only the name of the variable holding it). */
export const MemoriesProviderSettings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('codex-cli'), command: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('openai'), apiKeyEnv: z.string().min(1), baseUrl: z.string().url() }).strict(),
  z
    .object({
      kind: z.literal('openai-compatible'),
      baseUrl: z.string().url(),
      apiKeyEnv: z.string().min(1).nullable(),
    })
    .strict(),
]);
export type MemoriesProviderSettings = z.infer<typeof MemoriesProviderSettings>;

/** Seed §5.2 settings (snake_case as in Codex's `[memories]`), plus ours: enabled, memory root, provider. */
export const MemoriesSettingsView = z.object({
  enabled: z.boolean(),
  generate_memories: z.boolean(),
  use_memories: z.boolean(),
  no_memories_if_mcp_or_web_search: z.boolean(),
  max_raw_memories_for_consolidation: z.number().int(),
  max_unused_days: z.number().int(),
  max_rollout_age_days: z.number().int(),
  max_rollouts_per_startup: z.number().int(),
  min_rollout_idle_hours: z.number().int(),
  extract_model: z.string().nullable(),
  consolidation_model: z.string().nullable(),
  memory_root: z.string().nullable(),
  provider: MemoriesProviderSettings,
});
export type MemoriesSettingsView = z.infer<typeof MemoriesSettingsView>;

/** A partial update; numbers out of range are clamped as the seed does, unknown keys are refused. */
export const MemoriesSettingsPatch = MemoriesSettingsView.partial().strict();
export type MemoriesSettingsPatch = z.infer<typeof MemoriesSettingsPatch>;

export const Phase1Report = z.object({
  claimed: z.number().int(),
  succeeded: z.number().int(),
  noOutput: z.number().int(),
  failed: z.number().int(),
});

export const Phase2Report = z.object({
  status: z.string(),
  selected: z.number().int(),
  removed: z.number().int(),
  error: z.string().nullable(),
});

export const PipelineRun = z.object({
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  pruned: z.number().int(),
  phase1: Phase1Report.nullable(),
  phase2: Phase2Report.nullable(),
  /** Why the run stopped early (no provider, cancelled, …). */
  error: z.string().nullable(),
});
export type PipelineRun = z.infer<typeof PipelineRun>;

export const MemoriesStatus = z.object({
  settings: MemoriesSettingsView,
  /** Why settings.json was not used, if it was unreadable (defaults apply). */
  settingsProblem: z.string().nullable(),
  /** The resolved memory root and whether it exists. */
  memoryRoot: z.string(),
  rootExists: z.boolean(),
  running: z.boolean(),
  /** The phase now running. */
  phase: z.enum(['prune', 'phase1', 'phase2']).nullable(),
  lastRun: PipelineRun.nullable(),
  /** When the background schedule runs next (epoch ms), while enabled. */
  nextRunAt: z.number().nullable(),
  counts: z.object({
    outputs: z.number().int(),
    selected: z.number().int(),
    jobsRunning: z.number().int(),
    jobsFailed: z.number().int(),
    threadsEnabled: z.number().int(),
    threadsDisabled: z.number().int(),
    threadsPolluted: z.number().int(),
  }),
});
export type MemoriesStatus = z.infer<typeof MemoriesStatus>;

export const MemoryJob = z.object({
  kind: z.enum(['memory_stage1', 'memory_consolidate_global']),
  jobKey: z.string(),
  /** Stage-1 jobs: the thread's title (null when the thread is gone). */
  threadTitle: z.string().nullable(),
  status: z.string(),
  workerId: z.string().nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  leaseUntil: z.number().nullable(),
  retryAt: z.number().nullable(),
  retryRemaining: z.number().int(),
  lastError: z.string().nullable(),
  inputWatermark: z.number().nullable(),
  lastSuccessWatermark: z.number().nullable(),
});
export type MemoryJob = z.infer<typeof MemoryJob>;

export const Stage1OutputSummary = z.object({
  threadId: z.string(),
  threadTitle: z.string().nullable(),
  sourceUpdatedAt: z.number(),
  generatedAt: z.number(),
  rolloutSlug: z.string().nullable(),
  usageCount: z.number().int().nullable(),
  lastUsage: z.number().nullable(),
  selectedForPhase2: z.boolean(),
  /** The artifact file name under rollout_summaries/ (the seed's stem). */
  summaryFile: z.string(),
});
export type Stage1OutputSummary = z.infer<typeof Stage1OutputSummary>;

export const Stage1OutputDetail = Stage1OutputSummary.extend({
  rawMemory: z.string(),
  rolloutSummary: z.string(),
});
export type Stage1OutputDetail = z.infer<typeof Stage1OutputDetail>;

export const MemoryFileEntry = z.object({
  /** Relative to the memory root, `/`-separated. */
  path: z.string(),
  kind: z.enum(['file', 'dir']),
  bytes: z.number().int(),
  modifiedAt: z.number(),
});
export type MemoryFileEntry = z.infer<typeof MemoryFileEntry>;

const RelPath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'),
    'must be a path inside the memory root',
  );

export const ThreadMemoryMode = z.enum(['enabled', 'disabled', 'polluted']);
export type ThreadMemoryMode = z.infer<typeof ThreadMemoryMode>;

export const memoriesMethods = {
  status: method('Pipeline state, settings, last run and counts', z.object({}).strict(), MemoriesStatus),
  jobs: method(
    'Every memory job (stage-1 per thread, and the global consolidation)',
    z.object({}).strict(),
    z.array(MemoryJob),
  ),
  outputs: method(
    'Stage-1 outputs, in phase-2 rank order (usage, last use, freshness)',
    z.object({ limit: z.number().int().min(1).max(5000).default(500) }).strict(),
    z.array(Stage1OutputSummary),
  ),
  output: method(
    "One thread's stage-1 output with its texts (null when there is none) and its memory mode",
    z.object({ threadId: ThreadId }).strict(),
    z.object({ mode: ThreadMemoryMode.nullable(), output: Stage1OutputDetail.nullable() }),
  ),
  files: method('The memory root as a flat list of entries', z.object({}).strict(), z.array(MemoryFileEntry)),
  readFile: method(
    'A text file of the memory root (at most 2 MB)',
    z.object({ path: RelPath }).strict(),
    z.object({ path: z.string(), text: z.string(), bytes: z.number().int(), modifiedAt: z.number() }),
  ),
  run: method(
    'Runs prune, phase 1 and phase 2 now (in the background); false with a reason when it cannot start',
    z.object({}).strict(),
    z.object({ started: z.boolean(), reason: z.string().nullable() }),
  ),
  cancel: method(
    'Stops a running pipeline (jobs in flight are retried later)',
    z.object({}).strict(),
    z.object({ cancelled: z.boolean() }),
  ),
  drop: method(
    'Deletes every stage-1 output and memory job, and empties the memory root (not a symlinked root)',
    z.object({}).strict(),
    z.object({ rows: z.number().int(), failures: z.array(z.string()) }),
  ),
  reset: method(
    'Fresh start: drop everything, mark every enabled thread disabled, and turn the pipeline off',
    z.object({}).strict(),
    z.object({ rows: z.number().int(), threadsDisabled: z.number().int(), failures: z.array(z.string()) }),
  ),
  setThreadMode: method(
    "Sets a thread's memory mode (enabled or disabled)",
    z.object({ threadId: ThreadId, mode: z.enum(['enabled', 'disabled']) }).strict(),
    z.object({ threadId: z.string(), mode: ThreadMemoryMode }),
  ),
  updateSettings: method('Saves memories settings', MemoriesSettingsPatch, MemoriesSettingsView),
} as const;
