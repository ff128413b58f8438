import type {
  MemoriesStatus,
  MemoryJob,
  Stage1OutputDetail,
  Stage1OutputSummary,
  ThreadMemoryMode,
} from '../../preload/contract/memories.ts';
import type { Db } from '../state/connection.ts';
import { memoryFileStem } from './memory-stem.ts';

interface OutputRow {
  thread_id: string;
  title: string | null;
  source_updated_at: number;
  generated_at: number;
  rollout_slug: string | null;
  usage_count: number | null;
  last_usage: number | null;
  selected_for_phase2: number;
  raw_memory?: string;
  rollout_summary?: string;
}

const summaryOf = (r: OutputRow): Stage1OutputSummary => ({
  threadId: r.thread_id,
  threadTitle: r.title,
  sourceUpdatedAt: r.source_updated_at,
  generatedAt: r.generated_at,
  rolloutSlug: r.rollout_slug,
  usageCount: r.usage_count,
  lastUsage: r.last_usage,
  selectedForPhase2: r.selected_for_phase2 === 1,
  summaryFile: `${memoryFileStem(r.thread_id, r.source_updated_at, r.rollout_slug)}.md`,
});

/** Read-only views of the memory tables for the Memories page and the CLI. */
export function createMemoriesQueries(db: Db) {
  const outputs = db.prepare(
    `SELECT o.thread_id, t.title, o.source_updated_at, o.generated_at, o.rollout_slug, o.usage_count, o.last_usage,
       o.selected_for_phase2
     FROM stage1_outputs o LEFT JOIN threads t ON t.id = o.thread_id
     ORDER BY COALESCE(o.usage_count, 0) DESC, COALESCE(o.last_usage, o.source_updated_at) DESC,
       o.source_updated_at DESC, o.thread_id DESC LIMIT ?`,
  );
  const one = db.prepare(
    `SELECT o.*, t.title FROM stage1_outputs o LEFT JOIN threads t ON t.id = o.thread_id WHERE o.thread_id = ?`,
  );
  const mode = db.prepare('SELECT memory_mode FROM threads WHERE id = ?').pluck();
  const jobs = db.prepare(
    `SELECT j.*, t.title FROM jobs j LEFT JOIN threads t ON j.kind = 'memory_stage1' AND t.id = j.job_key
     WHERE j.kind IN ('memory_stage1', 'memory_consolidate_global')
     ORDER BY j.kind DESC, CASE j.status WHEN 'running' THEN 0 WHEN 'error' THEN 1 WHEN 'pending' THEN 2 ELSE 3 END,
       COALESCE(j.finished_at, j.started_at, 0) DESC`,
  );
  const counts = db.prepare(
    `SELECT
       (SELECT count(*) FROM stage1_outputs) AS outputs,
       (SELECT count(*) FROM stage1_outputs WHERE selected_for_phase2 = 1) AS selected,
       (SELECT count(*) FROM jobs WHERE kind LIKE 'memory_%' AND status = 'running' AND lease_until > ?) AS running,
       (SELECT count(*) FROM jobs WHERE kind LIKE 'memory_%' AND status = 'error') AS failed`,
  );
  const modes = db.prepare('SELECT memory_mode AS m, count(*) AS n FROM threads GROUP BY memory_mode');
  return {
    outputs: (limit: number): Stage1OutputSummary[] => (outputs.all(limit) as OutputRow[]).map(summaryOf),
    output(threadId: string): { mode: ThreadMemoryMode | null; output: Stage1OutputDetail | null } {
      const m = (mode.get(threadId) as ThreadMemoryMode | undefined) ?? null;
      const r = one.get(threadId) as OutputRow | undefined;
      return {
        mode: m,
        output: r
          ? { ...summaryOf(r), rawMemory: r.raw_memory ?? '', rolloutSummary: r.rollout_summary ?? '' }
          : null,
      };
    },
    jobs: (): MemoryJob[] =>
      (jobs.all() as Record<string, unknown>[]).map((j) => ({
        kind: j.kind as MemoryJob['kind'],
        jobKey: j.job_key as string,
        threadTitle: (j.title as string | null) ?? null,
        status: j.status as string,
        workerId: j.worker_id as string | null,
        startedAt: j.started_at as number | null,
        finishedAt: j.finished_at as number | null,
        leaseUntil: j.lease_until as number | null,
        retryAt: j.retry_at as number | null,
        retryRemaining: j.retry_remaining as number,
        lastError: j.last_error as string | null,
        inputWatermark: j.input_watermark as number | null,
        lastSuccessWatermark: j.last_success_watermark as number | null,
      })),
    counts(now: number): MemoriesStatus['counts'] {
      const c = counts.get(now) as { outputs: number; selected: number; running: number; failed: number };
      const byMode = new Map((modes.all() as { m: string; n: number }[]).map((r) => [r.m, r.n]));
      return {
        outputs: c.outputs,
        selected: c.selected,
        jobsRunning: c.running,
        jobsFailed: c.failed,
        threadsEnabled: byMode.get('enabled') ?? 0,
        threadsDisabled: byMode.get('disabled') ?? 0,
        threadsPolluted: byMode.get('polluted') ?? 0,
      };
    },
  };
}
