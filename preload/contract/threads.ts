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
    /**
     * Source kinds: a bare encoding (`cli`, `vscode`, `exec`, …) matches itself, `subagent` matches every
     * `{"subagent":…}` encoding (each spawned sub-agent's JSON is distinct, so `sources` cannot name them all).
     */
    sourceKinds: z.array(z.string()).optional(),
    /** Exact git branch names; empty or absent = all branches. */
    gitBranches: z.array(z.string()).optional(),
    /** Exact cwd (project) match. */
    cwd: z.string().optional(),
    /** Seed semantics: case-sensitive substring of the title; empty matches everything. */
    searchTerm: z.string().optional(),
    /** Inclusive range on the sort column, epoch seconds. */
    from: EpochSeconds.optional(),
    to: EpochSeconds.optional(),
    /** Threadscope extension: also return threads without any user message (the seed never lists them). */
    includeWithoutUserMessage: z.boolean().default(false),
    /**
     * `project`: ordered by cwd (ascending), then the sort column, so project groups arrive whole and in
     * order; its cursors are a distinct kind (`p1|…`), and a cursor of the other kind is refused.
     * Absent = `none` (optional rather than defaulted, so callers of the parsed type need not spell it).
     */
    groupBy: z.enum(['none', 'project']).optional(),
  })
  .strict();
export type ListThreadsInput = z.input<typeof ListThreadsInput>;

export const ThreadPage = z.object({ items: z.array(Thread), nextCursor: z.string().nullable() });
export type ThreadPage = z.infer<typeof ThreadPage>;

/** Tri-state git field: omitted = keep, null = clear, string = set (trimmed; empty is refused). */
const GitValue = z.string().max(4096).nullable().optional();

export const UpdateMetadataInput = z
  .object({ id: ThreadId, gitSha: GitValue, gitBranch: GitValue, gitOriginUrl: GitValue })
  .strict();
export type UpdateMetadataInput = z.input<typeof UpdateMetadataInput>;

export const ThreadExport = z.object({
  /** Suggested file name, e.g. `fix-the-login-bug-019b0093.md`. */
  fileName: z.string(),
  markdown: z.string(),
  /** The transcript was cut at the size cap (the Markdown says so too). */
  truncated: z.boolean(),
});
export type ThreadExport = z.infer<typeof ThreadExport>;

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
  facets: method(
    'Distinct values for the filter menus',
    z.object({ archived: z.boolean().default(false) }).strict(),
    z.object({
      sources: z.array(z.object({ value: z.string(), count: z.number().int() })),
      modelProviders: z.array(z.object({ value: z.string(), count: z.number().int() })),
      models: z.array(z.object({ value: z.string(), count: z.number().int() })),
      cwds: z.array(z.object({ value: z.string(), count: z.number().int() })),
      /** Sources folded as in `ListThreadsInput.sourceKinds`. */
      sourceKinds: z.array(z.object({ value: z.string(), count: z.number().int() })),
      branches: z.array(z.object({ value: z.string(), count: z.number().int() })),
    }),
  ),
  archive: method(
    'Archive a thread as Codex does: rename its rollout into archived_sessions/ (undo: unarchive)',
    z.object({ id: ThreadId }).strict(),
    Thread,
  ),
  unarchive: method(
    "Move an archived thread's rollout back to sessions/YYYY/MM/DD/ (undo: archive)",
    z.object({ id: ThreadId }).strict(),
    Thread,
  ),
  updateMetadata: method(
    'Patch git sha / branch / origin URL (seed thread/metadata/update): omitted = keep, null = clear',
    UpdateMetadataInput,
    Thread,
  ),
  exportMarkdown: method(
    'A thread as Markdown (metadata and transcript, home paths shortened to ~)',
    z.object({ id: ThreadId }).strict(),
    ThreadExport,
  ),
  saveExport: method(
    'Desktop only: save the Markdown export where the user picks in a save dialog; path null = cancelled',
    z.object({ id: ThreadId }).strict(),
    z.object({ path: z.string().nullable() }),
  ),
} as const;
