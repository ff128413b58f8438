import { z } from 'zod';

const clamp = (lo: number, hi: number) => (n: number) => Math.min(hi, Math.max(lo, n));
const count = (lo: number, hi: number, dflt: number) =>
  z.number().int().default(dflt).transform(clamp(lo, hi));

/**
 * Where phase 1 and phase 2 run: the user's Codex CLI (`codex exec`, their existing login), the OpenAI
 * Responses API with a key, or any OpenAI-compatible chat endpoint (e.g. a local Ollama).
 */
export const MemoriesProvider = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('codex-cli'), command: z.string().min(1).default('codex') }).strict(),
  z
    .object({
      kind: z.literal('openai'),
      /** Read from this environment variable, never stored. */
      apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY'),
      baseUrl: z.string().url().default('https://api.openai.com/v1'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('openai-compatible'),
      baseUrl: z.string().url(),
      apiKeyEnv: z.string().min(1).nullable().default(null),
    })
    .strict(),
]);
export type MemoriesProvider = z.infer<typeof MemoriesProvider>;

/**
 * Seed §5.2's `[memories]` settings with its defaults and clamps (out-of-range numbers are clamped, unknown
 * keys rejected), plus what Threadscope adds: the pipeline is off until the user enables it, the memory
 * root (default `<data dir>/memories`, null = that default) and the model provider.
 */
export const MemoriesSettings = z
  .object({
    enabled: z.boolean().default(false),
    generate_memories: z.boolean().default(true),
    use_memories: z.boolean().default(true),
    no_memories_if_mcp_or_web_search: z.boolean().default(false),
    max_raw_memories_for_consolidation: count(0, 4096, 256),
    max_unused_days: count(0, 365, 30),
    max_rollout_age_days: count(0, 90, 30),
    max_rollouts_per_startup: count(0, 128, 16),
    min_rollout_idle_hours: count(1, 48, 6),
    extract_model: z.string().min(1).nullable().default(null),
    consolidation_model: z.string().min(1).nullable().default(null),
    memory_root: z.string().min(1).nullable().default(null),
    provider: MemoriesProvider.default({ kind: 'codex-cli', command: 'codex' }),
  })
  .strict();
export type MemoriesSettings = z.output<typeof MemoriesSettings>;
export type MemoriesSettingsInput = z.input<typeof MemoriesSettings>;

/** Seed §5.2: the models used when none is configured. */
export const DEFAULT_EXTRACT_MODEL = 'gpt-5.1-codex-mini';
export const DEFAULT_CONSOLIDATION_MODEL = 'gpt-5.3-codex';
