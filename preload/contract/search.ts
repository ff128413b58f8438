import { z } from 'zod';
import { EpochSeconds } from './common.ts';
import { method } from './define.ts';

/** How much of CODEX_HOME the content index covers (files stand for threads: one rollout each). */
export const SearchProgress = z.object({
  state: z.enum(['idle', 'building']),
  filesDone: z.number().int(),
  filesTotal: z.number().int(),
  bytesDone: z.number().int(),
  bytesTotal: z.number().int(),
});
export type SearchProgress = z.infer<typeof SearchProgress>;

export const SearchDocKind = z.enum(['user', 'assistant', 'reasoning', 'tool_call', 'tool_output']);
export type SearchDocKind = z.infer<typeof SearchDocKind>;

/** Marks around a matched term in `snippet` (control characters, never HTML). */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

export const SearchHit = z.object({
  threadId: z.string(),
  /** 0-based index among the rollout's non-blank lines: `#/thread/<id>?at=<position>`. */
  position: z.number().int(),
  kind: SearchDocKind,
  toolName: z.string().nullable(),
  /** Text around the match with each matched term between MATCH_START and MATCH_END. */
  snippet: z.string(),
  /** Order of the hit in the results (0 = first): threads come newest first, hits in transcript order. */
  rank: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchThread = z.object({
  id: z.string(),
  title: z.string(),
  cwd: z.string(),
  updatedAt: EpochSeconds,
  source: z.string(),
  model: z.string().nullable(),
  archived: z.boolean(),
  /** The thread's best few hits, in transcript order. */
  hits: z.array(SearchHit),
});
export type SearchThread = z.infer<typeof SearchThread>;

export const SearchQueryInput = z
  .object({
    /** The query language: words, "phrases", -excluded, cwd:/project:, model:, source:, tool: filters. */
    query: z.string().max(1000),
    /** Threads per page. */
    limit: z.number().int().min(1).max(100).default(20),
    /** Opaque cursor from the previous page. */
    cursor: z.string().nullish(),
    /** Match the last word as a prefix (as you type). */
    prefixLast: z.boolean().default(true),
  })
  .strict();
export type SearchQueryInput = z.input<typeof SearchQueryInput>;

export const SearchResult = z.object({
  threads: z.array(SearchThread),
  nextCursor: z.string().nullable(),
  coverage: SearchProgress,
  /** Why nothing was searched (e.g. only filters, no words), for the empty state. */
  notice: z.string().nullable(),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const searchMethods = {
  query: method(
    'Full-text search over thread content, grouped by thread, newest first',
    SearchQueryInput,
    SearchResult,
  ),
  status: method(
    'Coverage of the content index and whether it is building',
    z.object({}).strict(),
    SearchProgress,
  ),
} as const;
