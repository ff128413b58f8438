export interface FeedbackConfig {
  /** A Sentry DSN or an https URL; null keeps bundles local. */
  endpoint: string | null;
  /** Largest bundle that may be sent; null keeps the default. */
  maxBytes: number | null;
}

export class FeedbackConfigError extends Error {}

/** `THREADSCOPE_FEEDBACK_ENDPOINT` and `THREADSCOPE_FEEDBACK_MAX_BYTES` (README: Configuration). */
export function feedbackConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FeedbackConfig {
  const endpoint = env.THREADSCOPE_FEEDBACK_ENDPOINT?.trim() || null;
  const raw = env.THREADSCOPE_FEEDBACK_MAX_BYTES?.trim();
  if (!raw) return { endpoint, maxBytes: null };
  const maxBytes = Number(raw);
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1024)
    throw new FeedbackConfigError(
      `invalid feedback configuration: THREADSCOPE_FEEDBACK_MAX_BYTES (${JSON.stringify(raw)}) must be a whole number of bytes, at least 1024`,
    );
  return { endpoint, maxBytes };
}
