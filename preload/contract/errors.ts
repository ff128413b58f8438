import { z } from 'zod';

/** Closed set of error codes that may cross the process boundary. */
export const errorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN',
  'NOT_FOUND',
  'UNAVAILABLE',
  'DB_BUSY',
  'DB_TOO_NEW',
  'MIGRATION_EDITED',
  'IO_ERROR',
  'CONFLICT',
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Field paths for INVALID_INPUT, file path for IO_ERROR, … */
  details: z.array(z.string()).optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };
