/**
 * The model providers of the memories pipeline: phase 1 (seed §5.8, one structured extraction per thread)
 * and phase 2 (seed §5.12, the consolidation agent working in the memory root). A provider does one call
 * and reports what happened; retries belong to the pipeline's job state machine (§5.5), not here.
 */

export interface TokenUsage {
  input: number;
  cachedInput: number;
  output: number;
  reasoningOutput: number;
  total: number;
}

export interface ExtractRequest {
  model: string;
  system: string;
  user: string;
  /** JSON schema of the answer (strict structured output). */
  schema: Record<string, unknown>;
  signal?: AbortSignal;
  /** Default {@link DEFAULT_EXTRACT_TIMEOUT_MS}. */
  timeoutMs?: number;
}

export interface ExtractResult {
  /** The model's answer as it came (parsing it is the caller's job). */
  text: string;
  usage: TokenUsage | null;
}

export interface ConsolidateRequest {
  model: string;
  memoryRoot: string;
  prompt: string;
  signal?: AbortSignal;
  /** Default {@link DEFAULT_CONSOLIDATE_TIMEOUT_MS}. */
  timeoutMs?: number;
}

export interface ConsolidateResult {
  usage: TokenUsage | null;
  /** files the provider wrote, relative to the root */
  written: string[];
}

export type ProviderKind = 'codex-cli' | 'openai' | 'openai-compatible';

export interface MemoryProvider {
  readonly kind: ProviderKind;
  /** Phase 1 (seed §5.8). */
  extract(req: ExtractRequest): Promise<ExtractResult>;
  /** Phase 2 (seed §5.12). */
  consolidate(req: ConsolidateRequest): Promise<ConsolidateResult>;
}

/** The environment a provider reads its key from and runs the Codex CLI with (injectable for tests). */
export type ProviderEnv = Readonly<Record<string, string | undefined>>;

export type ProviderErrorCode =
  'no_key' | 'not_found' | 'timeout' | 'cancelled' | 'http' | 'bad_output' | 'failed';

/**
 * Why a provider call failed, in words a user can act on; messages never contain an API key. `status` is
 * the HTTP status of `http` errors.
 */
export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly status?: number;

  constructor(code: ProviderErrorCode, message: string, init: { status?: number; cause?: unknown } = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProviderError';
    this.code = code;
    if (init.status !== undefined) this.status = init.status;
  }
}

/** Phase 1 default: 10 minutes per extraction. */
export const DEFAULT_EXTRACT_TIMEOUT_MS = 10 * 60_000;
/** Phase 2 default: 30 minutes per consolidation. */
export const DEFAULT_CONSOLIDATE_TIMEOUT_MS = 30 * 60_000;

/** The caller's cancellation and the timeout as one signal, remembering which of the two ended the call. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Why the signal fired, or null while it has not. */
  reason(): 'timeout' | 'cancelled' | null;
  /** The error to throw once the signal fired: `<what> did not finish within 10 min<after>`. */
  error(what: string, after?: string): ProviderError;
  dispose(): void;
}

export function startDeadline(external: AbortSignal | undefined, timeoutMs: number): Deadline {
  const ctrl = new AbortController();
  let why: 'timeout' | 'cancelled' | null = null;
  const end = (reason: 'timeout' | 'cancelled'): void => {
    if (why) return;
    why = reason;
    ctrl.abort(new Error(reason));
  };
  const onAbort = (): void => end('cancelled');
  if (external?.aborted) end('cancelled');
  else external?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => end('timeout'), Math.max(0, timeoutMs));
  timer.unref();
  return {
    signal: ctrl.signal,
    reason: () => why,
    error: (what, after = '') =>
      why === 'timeout'
        ? new ProviderError('timeout', `${what} did not finish within ${formatDuration(timeoutMs)}${after}`)
        : new ProviderError('cancelled', `${what} was cancelled${after}`),
    dispose: () => {
      clearTimeout(timer);
      external?.removeEventListener('abort', onAbort);
    },
  };
}

/** `10 min`, `45 s`, `250 ms`. */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${ms} ms`;
}

/** Seed §5.3: phase 1 reasons with low effort, phase 2 with medium; the structured output's name per phase. */
export const PHASES = {
  extract: { effort: 'low', schemaName: 'memory_extraction' },
  consolidate: { effort: 'medium', schemaName: 'memory_consolidation' },
} as const;
export type Phase = keyof typeof PHASES;
