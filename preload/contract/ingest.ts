import { z } from 'zod';
import { EpochSeconds } from './common.ts';
import { method } from './define.ts';

export const BackfillStatus = z.enum(['pending', 'running', 'complete']);

export const IngestProgress = z.object({
  phase: z.enum(['idle', 'discovering', 'ingesting', 'watching']),
  filesTotal: z.number().int(),
  filesDone: z.number().int(),
  bytesTotal: z.number().int(),
  bytesDone: z.number().int(),
  threadsUpserted: z.number().int(),
  problems: z.number().int(),
});
export type IngestProgress = z.infer<typeof IngestProgress>;

export const IngestProblem = z.object({
  path: z.string(),
  threadId: z.string().nullable(),
  message: z.string(),
  at: EpochSeconds,
});
export type IngestProblem = z.infer<typeof IngestProblem>;

export const IngestStatus = z.object({
  codexHome: z.string(),
  codexHomeExists: z.boolean(),
  backfill: z.object({
    status: BackfillStatus,
    lastWatermark: z.string().nullable(),
    lastSuccessAt: EpochSeconds.nullable(),
  }),
  progress: IngestProgress,
  threadCount: z.number().int(),
  problemCount: z.number().int(),
});
export type IngestStatus = z.infer<typeof IngestStatus>;

export const IngestSummary = z.object({
  filesSeen: z.number().int(),
  filesIngested: z.number().int(),
  filesUnchanged: z.number().int(),
  filesRemoved: z.number().int(),
  threadsUpserted: z.number().int(),
  problems: z.array(IngestProblem),
  durationMs: z.number(),
});
export type IngestSummary = z.infer<typeof IngestSummary>;

export const ingestMethods = {
  status: method('Backfill state, live progress and counts', z.object({}).strict(), IngestStatus),
  problems: method(
    'Rollout files that could not be ingested, newest first',
    z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.array(IngestProblem),
  ),
  rescan: method('Re-scan CODEX_HOME now and ingest what changed', z.object({}).strict(), IngestSummary),
} as const;
