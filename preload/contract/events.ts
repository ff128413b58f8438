import { z } from 'zod';
import { IngestProgress } from './ingest.ts';
import { LogSource } from './logs.ts';
import { SearchProgress } from './search.ts';

/** Push events from main to the renderer. Names are `domain:event`. */
export const events = {
  'ingest:progress': IngestProgress,
  /** Threads were inserted, updated or removed; `ids` lists them (capped), `all` asks for a full refetch. */
  'threads:changed': z.object({ ids: z.array(z.string()), all: z.boolean() }),
  /** Content index coverage while it builds or catches up. */
  'search:progress': SearchProgress,
  /**
   * New rows were committed to a log source: only the new max id, coalesced (at most a few a second),
   * so a slow renderer is never flooded: it pulls `logs:tail` pages at its own pace.
   */
  'logs:appended': z.object({ source: LogSource, maxId: z.number().int() }),
  /** A feedback bundle was saved, sent, failed or removed: the history refetches. */
  'feedback:changed': z.object({ id: z.string() }),
  /** The memories pipeline started or finished a phase, or its data changed: refetch status/jobs/files. */
  'memories:changed': z.object({ reason: z.string() }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const eventNames = Object.keys(events) as EventName[];
