import type { Db } from '../state/connection.ts';

/** Sub-agents are followed this many levels down (a sub-agent's sub-agents, …). */
export const SUBAGENT_MAX_DEPTH = 8;
/** At most this many ids come back (the given ones included). */
export const SUBAGENT_MAX_IDS = 1000;

/**
 * The given thread ids plus every thread whose `parent_thread_id` chain leads to one of them, as the
 * state DB knows them. Prepared once per connection: call the returned function as often as needed
 * (a read-only connection sees what the app ingested since).
 */
export function subagentExpander(stateDb: Db): (threadIds: readonly string[]) => string[] {
  const stmt = stateDb
    .prepare(
      `WITH RECURSIVE sub(id, depth) AS (
         SELECT value, 0 FROM json_each(?)
         UNION SELECT t.id, sub.depth + 1 FROM threads t JOIN sub ON t.parent_thread_id = sub.id
           WHERE sub.depth < ${SUBAGENT_MAX_DEPTH})
       SELECT DISTINCT id FROM sub LIMIT ${SUBAGENT_MAX_IDS}`,
    )
    .pluck();
  return (threadIds) => stmt.all(JSON.stringify(threadIds)) as string[];
}
