import { z } from 'zod';
import { LogLevelName } from '../../preload/contract/logs.ts';
import type { LogsConfig } from './logs-service.ts';

const positiveInt = z.coerce.number().int().positive();

/** The environment variables that configure the app's own logs (README: Configuration). */
const LogsEnv = z.object({
  THREADSCOPE_LOG_LEVEL: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(LogLevelName)
    .optional(),
  THREADSCOPE_LOG_RETENTION_DAYS: z.coerce.number().positive().max(3650).optional(),
  THREADSCOPE_LOG_MAX_ROWS: positiveInt.optional(),
  THREADSCOPE_LOG_MAX_BYTES: positiveInt.optional(),
});

export class LogsConfigError extends Error {}

/**
 * Caps, retention and level from the environment; unset or empty variables keep the seed's defaults
 * (10 MiB and 1,000 rows per partition, 10 days, DEBUG). An invalid value is an error naming it.
 */
export function logsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<LogsConfig> {
  const given = Object.fromEntries(
    Object.keys(LogsEnv.shape).flatMap((k) => (env[k]?.trim() ? [[k, env[k]?.trim()]] : [])),
  );
  const parsed = LogsEnv.safeParse(given);
  if (!parsed.success) {
    const what = parsed.error.issues.map(
      (i) => `${i.path.join('.')} (${JSON.stringify(given[String(i.path[0])])}): ${i.message}`,
    );
    throw new LogsConfigError(`invalid logs configuration: ${what.join('; ')}`);
  }
  const e = parsed.data;
  const out: Partial<LogsConfig> = {};
  if (e.THREADSCOPE_LOG_LEVEL) out.minLevel = e.THREADSCOPE_LOG_LEVEL;
  if (e.THREADSCOPE_LOG_RETENTION_DAYS !== undefined) out.retentionDays = e.THREADSCOPE_LOG_RETENTION_DAYS;
  if (e.THREADSCOPE_LOG_MAX_ROWS !== undefined || e.THREADSCOPE_LOG_MAX_BYTES !== undefined) {
    out.caps = {
      maxRows: e.THREADSCOPE_LOG_MAX_ROWS ?? 1_000,
      maxBytes: e.THREADSCOPE_LOG_MAX_BYTES ?? 10 * 1024 * 1024,
    };
  }
  return out;
}
