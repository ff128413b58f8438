import { z } from 'zod';

/** Codex thread ids are UUIDs (v4 before 0.39, v7 after), always lowercase with hyphens. */
export const ThreadId = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'not a thread id (UUID)',
  )
  .transform((s) => s.toLowerCase());

/** Unix epoch seconds, as the seed stores every thread timestamp. */
export const EpochSeconds = z.number().int();
