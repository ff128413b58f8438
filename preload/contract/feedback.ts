import { z } from 'zod';
import { ThreadId } from './common.ts';
import { method } from './define.ts';

/** Seed §7 classifications (safety_check is Codex-internal and not offered). */
export const FeedbackClassification = z.enum(['bug', 'bad_result', 'good_result', 'other']);
export type FeedbackClassification = z.infer<typeof FeedbackClassification>;

/** What a redaction replaced, e.g. `openai_key`, `github_token`, `home_dir`. */
export const RedactionCounts = z.record(z.string(), z.number().int());
export type RedactionCounts = z.infer<typeof RedactionCounts>;

export const FeedbackPartKind = z.enum([
  'report',
  'threadscope_logs',
  'codex_logs',
  'diagnostics',
  'rollout',
  'extra',
]);
export type FeedbackPartKind = z.infer<typeof FeedbackPartKind>;

/** One attachment of a bundle as the preview shows it (after redaction). */
export const FeedbackPart = z.object({
  /** Stable within a draft: pass it in `exclude`. */
  id: z.string(),
  kind: FeedbackPartKind,
  /** File name as it will be sent, e.g. `codex-logs.log`, `rollout.jsonl.gz`. */
  name: z.string(),
  contentType: z.string(),
  /** Bytes as sent (compressed for the rollout). */
  bytes: z.number().int(),
  /** Text parts: the redacted text's first characters (the whole text when `truncated` is false). */
  text: z.string().nullable(),
  truncated: z.boolean(),
  redactions: RedactionCounts,
  /** Where it came from (a path), for extra files and the rollout. */
  source: z.string().nullable(),
  /** The report part cannot be excluded. */
  required: z.boolean(),
});
export type FeedbackPart = z.infer<typeof FeedbackPart>;

export const FeedbackEndpoint = z.object({
  kind: z.enum(['sentry', 'https', 'none']),
  /** Host (and project) without any key, for display. */
  display: z.string().nullable(),
  /** Why it is `none` (not configured, or the configured value is not usable). */
  notice: z.string().nullable(),
});
export type FeedbackEndpoint = z.infer<typeof FeedbackEndpoint>;

export const FeedbackDraftInput = z
  .object({
    classification: FeedbackClassification,
    note: z.string().max(20_000).default(''),
    /** The thread the feedback is about; absent for feedback about the app itself. */
    threadId: ThreadId.nullish(),
    includeLogs: z.boolean().default(true),
    includeRollout: z.boolean().default(false),
    /** Absolute paths of extra files to attach. */
    extraFiles: z.array(z.string().min(1).max(4096)).max(20).default([]),
  })
  .strict();
export type FeedbackDraftInput = z.input<typeof FeedbackDraftInput>;

export const FeedbackDraft = z.object({
  draftId: z.string(),
  /** Also the ID the report is sent under (Sentry event id format: 32 hex digits). */
  feedbackId: z.string(),
  parts: z.array(FeedbackPart),
  totalBytes: z.number().int(),
  limitBytes: z.number().int(),
  endpoint: FeedbackEndpoint,
  /** Files that could not be attached and why (unreadable extra files, missing rollout). */
  warnings: z.array(z.string()),
});
export type FeedbackDraft = z.infer<typeof FeedbackDraft>;

export const FeedbackStatus = z.enum(['saved', 'sending', 'sent', 'failed']);
export type FeedbackStatus = z.infer<typeof FeedbackStatus>;

export const FeedbackRecord = z.object({
  id: z.string(),
  createdAt: z.number(),
  /** Last upload attempt, epoch ms. */
  attemptedAt: z.number().nullable(),
  threadId: z.string().nullable(),
  threadTitle: z.string().nullable(),
  classification: FeedbackClassification,
  note: z.string(),
  status: FeedbackStatus,
  endpoint: FeedbackEndpoint,
  /** What the server answered (Sentry event id, or the HTTPS response's id), when it said. */
  remoteId: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  parts: z.array(FeedbackPart.omit({ text: true, truncated: true })),
  totalBytes: z.number().int(),
  /** The bundle's folder: `<data dir>/feedback/<id>/`. */
  path: z.string(),
  /** With no endpoint: a ready-to-paste issue text. */
  issueText: z.string().nullable(),
});
export type FeedbackRecord = z.infer<typeof FeedbackRecord>;

const ById = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'not a feedback id') }).strict();

export const feedbackMethods = {
  endpoint: method(
    'Where feedback goes (configured endpoint, or saved locally)',
    z.object({}).strict(),
    FeedbackEndpoint,
  ),
  draft: method(
    'Builds a bundle and returns exactly what would be sent, redacted, with sizes',
    FeedbackDraftInput,
    FeedbackDraft,
  ),
  partText: method(
    "More of a draft part's redacted text (the preview pages through large logs)",
    z
      .object({
        draftId: z.string().max(64),
        partId: z.string().max(64),
        offset: z.number().int().nonnegative(),
        limit: z.number().int().min(1).max(1_000_000).default(200_000),
      })
      .strict(),
    z.object({ text: z.string(), nextOffset: z.number().int().nullable() }),
  ),
  send: method(
    'Writes the draft to the data dir, minus the excluded parts, then uploads it (or keeps it locally)',
    z
      .object({ draftId: z.string().max(64), exclude: z.array(z.string().max(64)).max(100).default([]) })
      .strict(),
    FeedbackRecord,
  ),
  list: method('Every saved bundle, newest first', z.object({}).strict(), z.array(FeedbackRecord)),
  retry: method('Uploads a saved or failed bundle again', ById, FeedbackRecord),
  remove: method("Deletes a bundle's local copy", ById, z.object({ id: z.string() })),
  reveal: method(
    "Shows the bundle's folder in the file manager (desktop); returns its path",
    ById,
    z.object({ path: z.string(), shown: z.boolean() }),
  ),
} as const;
