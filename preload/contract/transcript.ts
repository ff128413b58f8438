import { z } from 'zod';
import { ThreadId } from './common.ts';
import { method } from './define.ts';

/** Token counts of one model call (`last`) or of the whole thread so far (`total`). */
export const TokenUsage = z.object({
  input: z.number(),
  cachedInput: z.number(),
  output: z.number(),
  reasoningOutput: z.number(),
  total: z.number(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/** An image part: a data URL only when small enough to ship in a page, else just its size. */
export const TranscriptImage = z.object({
  kind: z.literal('image'),
  mime: z.string().nullable(),
  /** `data:` URL (≤ 256 KB) or null when too large / not inline (remote URL or local path in `source`). */
  dataUrl: z.string().nullable(),
  bytes: z.number().int(),
  /** A non-data URL or local path, when that is what the rollout recorded. */
  source: z.string().nullable(),
});
export type TranscriptImage = z.infer<typeof TranscriptImage>;

/** Text capped for a page: `text` holds the head, `tail` the last part when the middle was cut. */
export const CappedText = z.object({
  text: z.string(),
  tail: z.string().nullable(),
  /** Characters left out between `text` and `tail` (0 when complete). */
  omitted: z.number().int(),
});
export type CappedText = z.infer<typeof CappedText>;

export const ToolCallDetail = z.discriminatedUnion('tool', [
  z.object({
    tool: z.literal('shell'),
    /** What to show: the argv joined (the `bash -lc` wrapper dropped) or the `cmd` string. */
    command: z.string(),
    argv: z.array(z.string()).nullable(),
    workdir: z.string().nullable(),
    timeoutMs: z.number().nullable(),
  }),
  z.object({ tool: z.literal('patch'), patch: CappedText }),
  z.object({
    tool: z.literal('mcp'),
    server: z.string(),
    name: z.string(),
    arguments: z.string().nullable(),
  }),
  z.object({
    tool: z.literal('web_search'),
    action: z.string().nullable(),
    query: z.string().nullable(),
    url: z.string().nullable(),
  }),
  /** Code-mode `exec` scripts and other freeform tool inputs. */
  z.object({ tool: z.literal('script'), code: CappedText }),
  z.object({
    tool: z.literal('plan'),
    explanation: z.string().nullable(),
    steps: z.array(z.object({ step: z.string(), status: z.string() })),
  }),
  z.object({ tool: z.literal('other'), arguments: CappedText.nullable() }),
]);
export type ToolCallDetail = z.infer<typeof ToolCallDetail>;

export const FileChange = z.object({
  path: z.string(),
  change: z.enum(['add', 'update', 'delete', 'move']),
  /** Unified diff (`@@` hunks) of the change, capped; an added file's content as `+` lines. */
  diff: z.string().nullable(),
});

/** A tool's result, merged from the output item and the `*_end` events that share its call id. */
export const ToolResult = z.object({
  output: CappedText.nullable(),
  exitCode: z.number().int().nullable(),
  durationMs: z.number().nullable(),
  /** False for a failed call (non-zero exit, rejected, patch failure, MCP error); null when unknown. */
  success: z.boolean().nullable(),
  images: z.array(TranscriptImage),
  changes: z.array(FileChange),
  /** Positions of the lines this result was read from. */
  positions: z.array(z.number().int()),
});
export type ToolResult = z.infer<typeof ToolResult>;

const base = {
  /** 0-based index among the file's non-blank lines. */
  position: z.number().int(),
  timestamp: z.string().nullable(),
  bytes: z.number().int(),
  /** Envelope `type` (`response_item`, `event_msg`, …); legacy lines report their bare `type`. */
  lineType: z.string().nullable(),
  payloadType: z.string().nullable(),
  /**
   * Not drawn in the transcript: a duplicate of a line that is (the `user_message` event beside the
   * user message item), bookkeeping (token counts, turn contexts, world state), or a tool output
   * already shown in its call's card.
   */
  hidden: z.boolean(),
};

export const TranscriptItem = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('message'),
    role: z.enum(['user', 'assistant', 'developer', 'system']),
    text: CappedText,
    images: z.array(TranscriptImage),
    /** `commentary` / `final_answer` for assistant messages of newer builds. */
    phase: z.string().nullable(),
    /** Context Codex injected (AGENTS.md, environment, permissions), not typed by the user. */
    injected: z.boolean(),
  }),
  z.object({ ...base, kind: z.literal('reasoning'), text: CappedText, encrypted: z.boolean() }),
  z.object({
    ...base,
    kind: z.literal('tool_call'),
    name: z.string(),
    callId: z.string().nullable(),
    status: z.string().nullable(),
    call: ToolCallDetail,
    result: ToolResult.nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('tool_output'),
    name: z.string().nullable(),
    callId: z.string().nullable(),
    result: ToolResult,
    /** Position of the call whose card shows this output (the item is then hidden). */
    pairedWith: z.number().int().nullable(),
  }),
  z.object({ ...base, kind: z.literal('plan'), text: CappedText }),
  z.object({
    ...base,
    kind: z.literal('turn_start'),
    turnId: z.string().nullable(),
    mode: z.string().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('turn_end'),
    status: z.enum(['complete', 'aborted']),
    reason: z.string().nullable(),
    durationMs: z.number().nullable(),
    error: z.string().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('token_count'),
    last: TokenUsage.nullable(),
    total: TokenUsage.nullable(),
    contextWindow: z.number().nullable(),
  }),
  z.object({
    ...base,
    kind: z.literal('turn_context'),
    model: z.string().nullable(),
    effort: z.string().nullable(),
    cwd: z.string().nullable(),
    approvalPolicy: z.string().nullable(),
    sandbox: z.string().nullable(),
  }),
  z.object({ ...base, kind: z.literal('compaction'), text: CappedText.nullable() }),
  z.object({ ...base, kind: z.literal('error'), message: z.string(), detail: z.string().nullable() }),
  z.object({
    ...base,
    kind: z.literal('session_meta'),
    threadId: z.string().nullable(),
    cwd: z.string().nullable(),
    cliVersion: z.string().nullable(),
    originator: z.string().nullable(),
    /** Set when this is not the thread's first meta line (a resume, or a fork's copied parent). */
    forkedFromId: z.string().nullable(),
  }),
  /** A known event without a card of its own (`thread_rolled_back`, review mode, …): one muted line. */
  z.object({ ...base, kind: z.literal('event'), name: z.string(), text: z.string().nullable() }),
  z.object({ ...base, kind: z.literal('unknown'), text: z.string().nullable() }),
  z.object({ ...base, kind: z.literal('invalid'), text: z.string() }),
]);
export type TranscriptItem = z.infer<typeof TranscriptItem>;
export type TranscriptKind = TranscriptItem['kind'];

export const TranscriptPage = z.object({
  items: z.array(TranscriptItem),
  offset: z.number().int(),
  /** Non-blank lines in the file (an unterminated last line included). */
  total: z.number().int(),
  fileSize: z.number().int(),
  /** The turn containing `offset`, when the outline is already known (index into outline.turns). */
  turn: z.number().int().nullable(),
});
export type TranscriptPage = z.infer<typeof TranscriptPage>;

export const OutlineTurn = z.object({
  index: z.number().int(),
  position: z.number().int(),
  /** Position of the `task_complete` / `turn_aborted` line, or null while open. */
  endPosition: z.number().int().nullable(),
  /** The user's request (first line), or a placeholder. */
  label: z.string(),
  /** Position of the user message that opened the turn, when there is one. */
  messagePosition: z.number().int().nullable(),
  status: z.enum(['complete', 'aborted', 'open']),
  timestamp: z.string().nullable(),
  durationMs: z.number().nullable(),
  tokens: TokenUsage.nullable(),
  toolCalls: z.number().int(),
  errors: z.number().int(),
});
export type OutlineTurn = z.infer<typeof OutlineTurn>;

export const OutlineEntry = z.object({
  position: z.number().int(),
  kind: z.enum(['tool', 'error', 'compaction', 'aborted']),
  /** Tool name, error message, … */
  label: z.string(),
  /** Short detail: the command, the patched files, the query. */
  detail: z.string().nullable(),
  failed: z.boolean(),
  turn: z.number().int().nullable(),
});
export type OutlineEntry = z.infer<typeof OutlineEntry>;

export const TranscriptOutline = z.object({
  total: z.number().int(),
  fileSize: z.number().int(),
  turns: z.array(OutlineTurn),
  entries: z.array(OutlineEntry),
  /** More tool calls than the cap: later ones are left out of `entries` (errors never are). */
  entriesTruncated: z.boolean(),
  totalTokens: TokenUsage.nullable(),
  counts: z.object({
    messages: z.number().int(),
    toolCalls: z.number().int(),
    errors: z.number().int(),
    compactions: z.number().int(),
  }),
});
export type TranscriptOutline = z.infer<typeof TranscriptOutline>;

export const TranscriptFindResult = z.object({
  query: z.string(),
  /** Positions of visible items whose text contains the query (case-insensitive), ascending. */
  positions: z.array(z.number().int()),
  truncated: z.boolean(),
});
export type TranscriptFindResult = z.infer<typeof TranscriptFindResult>;

export const transcriptMethods = {
  page: method(
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
  outline: method(
    "A thread's turns, tool calls, errors and compactions with positions and per-turn token usage",
    z.object({ id: ThreadId }).strict(),
    TranscriptOutline,
  ),
  find: method(
    'Positions of transcript items containing a text (case-insensitive), capped',
    z
      .object({
        id: ThreadId,
        query: z.string().min(1).max(200),
        limit: z.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
    TranscriptFindResult,
  ),
} as const;
