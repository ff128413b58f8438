import { z } from 'zod';
import { IngestProgress } from './ingest.ts';
import { SearchProgress } from './search.ts';

/** Push events from main to the renderer. Names are `domain:event`. */
export const events = {
  'ingest:progress': IngestProgress,
  /** Threads were inserted, updated or removed; `ids` lists them (capped), `all` asks for a full refetch. */
  'threads:changed': z.object({ ids: z.array(z.string()), all: z.boolean() }),
  /** Content index coverage while it builds or catches up. */
  'search:progress': SearchProgress,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const eventNames = Object.keys(events) as EventName[];
