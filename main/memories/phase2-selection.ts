import { perConnection, type Db } from '../state/connection.ts';
import { SECONDS_PER_DAY } from './memory-constants.ts';

/**
 * Seed §5.11 `get_phase2_input_selection(N, max_unused_days)`: the current top-N stage-1 outputs that
 * phase 2 consolidates, and the diff against the last successful phase-2 baseline
 * (`selected_for_phase2` flags written by `succeedGlobalJob`).
 */

/** A stage-1 output with the thread fields phase 2 needs (§5.11; `''` when the thread row is missing). */
export interface Phase2InputItem {
  threadId: string;
  sourceUpdatedAt: number;
  rawMemory: string;
  rolloutSummary: string;
  rolloutSlug: string | null;
  generatedAt: number;
  rolloutPath: string;
  cwd: string;
  gitBranch: string | null;
  /** NULL in the DB (never cited) stays null here. */
  usageCount: number | null;
  lastUsage: number | null;
  selectedForPhase2: boolean;
  selectedForPhase2SourceUpdatedAt: number | null;
}

/** §5.11 `removed` entries. */
export interface Stage1OutputRef {
  threadId: string;
  sourceUpdatedAt: number;
  rolloutSlug: string | null;
}

export interface Phase2InputSelection {
  /** Current top N, in rank order. */
  selected: Phase2InputItem[];
  /** Selected threads whose snapshot is the one the last phase-2 success consumed (selected order). */
  retainedThreadIds: string[];
  /** Every row flagged by the last success, unfiltered, `source_updated_at DESC, thread_id DESC`. */
  previousSelected: Phase2InputItem[];
  /** Previous rows whose thread is not selected any more (previous order). */
  removed: Stage1OutputRef[];
  /** `|selected| − |retained|`, for the consolidation prompt. */
  addedCount: number;
}

interface RawItem {
  thread_id: string;
  source_updated_at: number;
  raw_memory: string;
  rollout_summary: string;
  rollout_slug: string | null;
  generated_at: number;
  rollout_path: string;
  cwd: string;
  git_branch: string | null;
  usage_count: number | null;
  last_usage: number | null;
  selected_for_phase2: number;
  selected_for_phase2_source_updated_at: number | null;
}

const ITEM_COLUMNS = `so.thread_id, so.source_updated_at, so.raw_memory, so.rollout_summary, so.rollout_slug,
  so.generated_at, COALESCE(t.rollout_path, '') AS rollout_path, COALESCE(t.cwd, '') AS cwd,
  t.git_branch AS git_branch, so.usage_count, so.last_usage, so.selected_for_phase2,
  so.selected_for_phase2_source_updated_at`;

/**
 * "Blank after trimming" trims ASCII whitespace (space, tab, LF, VT, FF, CR). Codex's SQL uses SQLite's
 * one-argument `trim()`, which strips spaces only, so a memory of just newlines would count as content
 * there; we read the seed's "blank" literally.
 */
const nonBlank = (col: string): string => `length(trim(${col}, char(32, 9, 10, 11, 12, 13))) > 0`;

function prepare(db: Db) {
  return {
    selected: db.prepare<{ cutoff: number; n: number }, RawItem>(`SELECT ${ITEM_COLUMNS}
      FROM stage1_outputs AS so LEFT JOIN threads AS t ON t.id = so.thread_id
      WHERE t.memory_mode = 'enabled'
        AND (${nonBlank('so.raw_memory')} OR ${nonBlank('so.rollout_summary')})
        AND ((so.last_usage IS NOT NULL AND so.last_usage >= @cutoff)
          OR (so.last_usage IS NULL AND so.source_updated_at >= @cutoff))
      ORDER BY COALESCE(so.usage_count, 0) DESC, COALESCE(so.last_usage, so.source_updated_at) DESC,
        so.source_updated_at DESC, so.thread_id DESC
      LIMIT @n`),
    previous: db.prepare<[], RawItem>(`SELECT ${ITEM_COLUMNS}
      FROM stage1_outputs AS so LEFT JOIN threads AS t ON t.id = so.thread_id
      WHERE so.selected_for_phase2 = 1
      ORDER BY so.source_updated_at DESC, so.thread_id DESC`),
  };
}

/** Statements are prepared once per connection. */
const stmts = perConnection(prepare);

function toItem(r: RawItem): Phase2InputItem {
  return {
    threadId: r.thread_id,
    sourceUpdatedAt: r.source_updated_at,
    rawMemory: r.raw_memory,
    rolloutSummary: r.rollout_summary,
    rolloutSlug: r.rollout_slug,
    generatedAt: r.generated_at,
    rolloutPath: r.rollout_path,
    cwd: r.cwd,
    gitBranch: r.git_branch,
    usageCount: r.usage_count,
    lastUsage: r.last_usage,
    selectedForPhase2: r.selected_for_phase2 !== 0,
    selectedForPhase2SourceUpdatedAt: r.selected_for_phase2_source_updated_at,
  };
}

const empty = (): Phase2InputSelection => ({
  selected: [],
  retainedThreadIds: [],
  previousSelected: [],
  removed: [],
  addedCount: 0,
});

/**
 * §5.11. `n` = `max_raw_memories_for_consolidation` (N ≤ 0 → everything empty); freshness cutoff =
 * `now − max_unused_days` days (negative days count as 0): `last_usage ≥ cutoff` when set, else
 * `source_updated_at ≥ cutoff`. Both reads run in one transaction, so they see the same snapshot.
 */
export function getPhase2InputSelection(
  db: Db,
  n: number,
  maxUnusedDays: number,
  now: number,
): Phase2InputSelection {
  if (n <= 0) return empty();
  const s = stmts(db);
  const cutoff = now - Math.max(0, maxUnusedDays) * SECONDS_PER_DAY;
  return db.transaction((): Phase2InputSelection => {
    const selected = s.selected.all({ cutoff, n: Math.floor(n) }).map(toItem);
    const previousSelected = s.previous.all().map(toItem);
    const retainedThreadIds = selected
      .filter((o) => o.selectedForPhase2 && o.selectedForPhase2SourceUpdatedAt === o.sourceUpdatedAt)
      .map((o) => o.threadId);
    const selectedIds = new Set(selected.map((o) => o.threadId));
    const removed = previousSelected
      .filter((o) => !selectedIds.has(o.threadId))
      .map((o) => ({ threadId: o.threadId, sourceUpdatedAt: o.sourceUpdatedAt, rolloutSlug: o.rolloutSlug }));
    return {
      selected,
      retainedThreadIds,
      previousSelected,
      removed,
      addedCount: selected.length - retainedThreadIds.length,
    };
  })();
}
