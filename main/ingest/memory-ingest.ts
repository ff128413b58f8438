import { recordStage1OutputUsage } from '../memories/memory-usage.ts';
import { markThreadMemoryModePolluted } from '../memories/stage1-finalize.ts';
import type { ExtractResult, MemoryCitation } from '../rollouts/types.ts';
import type { Db } from '../state/connection.ts';
import { createRolloutFileRepo } from '../state/rollout-file-repo.ts';

/** What the ingest writer does for the memories pipeline with one extracted file, decided before its upsert. */
export interface MemoryPlan {
  /** The `memory_mode` to write with the thread upsert; null keeps the row's (or `enabled` for a new row). */
  memoryMode: string | null;
  citations: MemoryCitation[];
  polluting: boolean;
}

export type MemoryExtract = Pick<ExtractResult, 'readFrom' | 'memoryMode' | 'memoryModeAtMs' | 'memory'>;

const NOTHING: MemoryPlan = { memoryMode: null, citations: [], polluting: false };

/**
 * The ingest side of the memories pipeline, run in the transaction that upserts the thread:
 *
 * - Usage recording (seed §5.14): every citation found in the lines read gets `recordStage1OutputUsage`.
 *   `last_usage` is the citing line's own time, not the ingest time: for a live append the two are the
 *   seed's "completion time" within a watcher delay, and a backfill of old rollouts does not make the
 *   memories they cite look freshly used (which would keep them from pruning and rank them first).
 * - Pollution (seed §5.4): an MCP tool call or web search call marks the thread `polluted` when
 *   `memories.no_memories_if_mcp_or_web_search` is on (`pollutionRule`, asked once per run when first needed).
 * - Memory mode (seed Q3): the rollout's explicit session_meta `memory_mode` is written only when that
 *   line is new to the DB, so a DB-only `polluted` / `disabled` is not undone by reading the same lines
 *   again (newest builds write `"enabled"` in every session_meta); without one the row keeps its mode.
 *
 * "New" means: any line of a resumed pass (only appended bytes are read), every line of a file read for the
 * first time, and, when a known file is read again from the top (changed in place, `.zst`, forced re-read),
 * the lines dated after the newest line its previous ingest covered. The same rule keeps such a re-read
 * from counting citations twice.
 */
export function createMemoryIngest(db: Db, pollutionRule: () => boolean) {
  const files = createRolloutFileRepo(db);
  const updatedAt = db.prepare('SELECT updated_at FROM threads WHERE id = ?').pluck();
  let ruleThisRun: boolean | null = null;

  function pollutionOn(): boolean {
    ruleThisRun ??= pollutionRule();
    return ruleThisRun;
  }

  /** Newest line time (epoch ms) the previous ingest of `path` covered, or null when unknown. */
  function coveredUntil(path: string, threadId: string): number | null {
    const ms = files.get(path)?.foldState?.lastLineMs;
    if (typeof ms === 'number') return ms;
    // Fold states too large to keep: the row's updated_at is that newest line, to the second.
    const s = updatedAt.get(threadId);
    return typeof s === 'number' ? s * 1000 + 999 : null;
  }

  return {
    /** At the start of every ingest run: the rule is asked again when next needed. */
    startRun(): void {
      ruleThisRun = null;
    },

    /**
     * Call before the thread upsert and the file record update (it reads what the previous ingest stored).
     * `known`: the file had an ingest record when the run started.
     */
    plan(path: string, threadId: string, known: boolean, r: MemoryExtract): MemoryPlan {
      const m = r.memory;
      if (r.memoryMode === null && m.citations.length === 0 && !m.polluting) return NOTHING;
      const since = r.readFrom === 0 && known ? coveredUntil(path, threadId) : null;
      const isNew = (ms: number | null): boolean => since === null || (ms !== null && ms > since);
      return {
        memoryMode: r.memoryMode !== null && isNew(r.memoryModeAtMs) ? r.memoryMode : null,
        citations: since === null ? m.citations : m.citations.filter((c) => isNew(c.atMs)),
        polluting: m.polluting && isNew(m.pollutingAtMs),
      };
    },

    /** Call after the thread upsert, in the same transaction. `now`: epoch seconds. */
    record(threadId: string, plan: MemoryPlan, now: number): void {
      for (const c of plan.citations) {
        recordStage1OutputUsage(db, c.threadIds, c.atMs !== null ? Math.floor(c.atMs / 1000) : now);
      }
      if (plan.polluting && pollutionOn()) markThreadMemoryModePolluted(db, threadId, now);
    },
  };
}

export type MemoryIngest = ReturnType<typeof createMemoryIngest>;
