import { z } from 'zod';
import { EpochSeconds, ThreadId } from './common.ts';
import { method } from './define.ts';

export const SortKey = z.enum(['created_at', 'updated_at']);
export type SortKey = z.infer<typeof SortKey>;

export const Thread = z.object({
  id: z.string(),
  rolloutPath: z.string(),
  createdAt: EpochSeconds,
  updatedAt: EpochSeconds,
  /** Seed encoding: bare string (`cli`, `vscode`, `exec`, …) or compact JSON for sub-agents. */
  source: z.string(),
  modelProvider: z.string(),
  model: z.string().nullable(),
  reasoningEffort: z.string().nullable(),
  cwd: z.string(),
  title: z.string(),
  firstUserMessage: z.string().nullable(),
  cliVersion: z.string(),
  originator: z.string().nullable(),
  gitSha: z.string().nullable(),
  gitBranch: z.string().nullable(),
  gitOriginUrl: z.string().nullable(),
  agentNickname: z.string().nullable(),
  agentRole: z.string().nullable(),
  agentDepth: z.number().int().nullable(),
  parentThreadId: z.string().nullable(),
  forkedFromId: z.string().nullable(),
  archived: z.boolean(),
  archivedAt: EpochSeconds.nullable(),
  tokensUsed: z.number().int(),
  sandboxPolicy: z.string(),
  approvalMode: z.string(),
  memoryMode: z.string(),
});
export type Thread = z.infer<typeof Thread>;

export const ListThreadsInput = z
  .object({
    /** Opaque keyset cursor `<RFC 3339>|<uuid>` from a previous page. */
    cursor: z.string().nullish(),
    limit: z.number().int().min(1).max(500).default(50),
    sortKey: SortKey.default('created_at'),
    archived: z.boolean().default(false),
    /** Exact stored source encodings; empty or absent = all sources. */
    sources: z.array(z.string()).optional(),
    /** Empty or absent = all providers (a viewer is not scoped to one configured provider). */
    modelProviders: z.array(z.string()).optional(),
    models: z.array(z.string()).optional(),
    /** Exact cwd (project) match. */
    cwd: z.string().optional(),
    /** Seed semantics: case-sensitive substring of the title; empty matches everything. */
    searchTerm: z.string().optional(),
    /** Inclusive range on the sort column, epoch seconds. */
    from: EpochSeconds.optional(),
    to: EpochSeconds.optional(),
    /** Threadscope extension: also return threads without any user message (the seed never lists them). */
    includeWithoutUserMessage: z.boolean().default(false),
  })
  .strict();
export type ListThreadsInput = z.input<typeof ListThreadsInput>;

export const ThreadPage = z.object({ items: z.array(Thread), nextCursor: z.string().nullable() });
export type ThreadPage = z.infer<typeof ThreadPage>;

export const TranscriptKind = z.enum([
  'session_meta',
  'user_message',
  'assistant_message',
  'developer_message',
  'reasoning',
  'tool_call',
  'tool_output',
  'turn_context',
  'token_count',
  'compacted',
  'event',
  'unknown',
  'invalid',
]);
export type TranscriptKind = z.infer<typeof TranscriptKind>;

export const TranscriptItem = z.object({
  /** 0-based index among the file's non-blank lines. */
  position: z.number().int(),
  timestamp: z.string().nullable(),
  kind: TranscriptKind,
  /** Envelope `type` (`response_item`, `event_msg`, …); legacy lines report their bare `type`. */
  lineType: z.string().nullable(),
  payloadType: z.string().nullable(),
  role: z.string().nullable(),
  text: z.string().nullable(),
  textTruncated: z.boolean(),
  toolName: z.string().nullable(),
  callId: z.string().nullable(),
  bytes: z.number().int(),
});
export type TranscriptItem = z.infer<typeof TranscriptItem>;

export const TranscriptPage = z.object({
  items: z.array(TranscriptItem),
  offset: z.number().int(),
  total: z.number().int(),
  fileSize: z.number().int(),
});
export type TranscriptPage = z.infer<typeof TranscriptPage>;

export const threadsMethods = {
  list: method(
    'List threads (seed thread/list semantics plus project/model/date filters)',
    ListThreadsInput,
    ThreadPage,
  ),
  get: method('One thread by id', z.object({ id: ThreadId }).strict(), Thread),
  relatives: method(
    "A thread's parent (spawn or fork) and its sub-agent children",
    z.object({ id: ThreadId }).strict(),
    z.object({ parent: Thread.nullable(), children: z.array(Thread) }),
  ),
  transcriptPage: method(
    "A page of a thread's transcript items by position, read without loading the whole file",
    z
      .object({
        id: ThreadId,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    TranscriptPage,
  ),
  facets: method(
    'Distinct values for the filter menus',
    z.object({ archived: z.boolean().default(false) }).strict(),
    z.object({
      sources: z.array(z.object({ value: z.string(), count: z.number().int() })),
      modelProviders: z.array(z.object({ value: z.string(), count: z.number().int() })),
      models: z.array(z.object({ value: z.string(), count: z.number().int() })),
      cwds: z.array(z.object({ value: z.string(), count: z.number().int() })),
    }),
  ),
} as const;
