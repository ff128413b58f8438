import type { Logger } from '../logs/app-logger.ts';
import type { Db } from '../state/connection.ts';
import { consolidationPrompt } from './consolidation-prompt.ts';
import {
  claimGlobalJob,
  failGlobalJob,
  failGlobalJobIfUnowned,
  heartbeatGlobalJob,
  succeedGlobalJob,
} from './global-job.ts';
import { buildArtifactSet, rebuildRawMemories, syncRolloutSummaries } from './memory-artifacts.ts';
import {
  DEFAULT_CONSOLIDATION_MODEL,
  PHASE2_HEARTBEAT_SECONDS,
  PHASE2_LEASE_SECONDS,
  PHASE2_RETRY_DELAY_SECONDS,
} from './memory-constants.ts';
import { getPhase2InputSelection } from './phase2-selection.ts';
import type { MemoryProvider, TokenUsage } from './providers/provider.ts';

export interface Phase2Settings {
  max_raw_memories_for_consolidation: number;
  max_unused_days: number;
  consolidation_model: string | null;
}

export interface Phase2Deps {
  db: Db;
  provider: MemoryProvider;
  settings: Phase2Settings;
  memoryRoot: string;
  workerId: string;
  nowSeconds: () => number;
  log: Logger;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Heartbeat interval (seed: 90 s); tests shorten it. */
  heartbeatMs?: number;
}

export type Phase2Status =
  | 'skipped_not_dirty'
  | 'skipped_running'
  | 'succeeded_no_input'
  | 'succeeded'
  | 'failed_sync_artifacts'
  | 'failed_rebuild_raw_memories'
  | 'failed_load_stage1_outputs'
  | 'failed_agent';

export interface Phase2Summary {
  status: Phase2Status;
  selected: number;
  removed: number;
  error: string | null;
  usage: TokenUsage | null;
  written: string[];
}

/**
 * Seed §5.12: claim the global job; write the artifacts (rollout_summaries/ synced, raw_memories.md
 * rebuilt); with no input, succeed at once; otherwise run the consolidation with the provider while
 * heartbeating the lease every 90 s (losing ownership aborts it), and succeed with the selected snapshots
 * or fail (retried after an hour).
 */
export async function runPhase2(d: Phase2Deps): Promise<Phase2Summary> {
  const base = { selected: 0, removed: 0, error: null, usage: null, written: [] };
  const claim = claimGlobalJob(d.db, d.workerId, PHASE2_LEASE_SECONDS, d.nowSeconds());
  if (claim.kind !== 'claimed') {
    d.log.debug(`memories phase 2: ${claim.kind.replace('skipped_', 'skipped, ').replace('_', ' ')}`);
    return { ...base, status: claim.kind };
  }
  const token = claim.ownershipToken;
  const fail = (status: Phase2Status, error: string, extra: Partial<Phase2Summary> = {}): Phase2Summary => {
    const now = d.nowSeconds();
    if (!failGlobalJob(d.db, token, error, PHASE2_RETRY_DELAY_SECONDS, now))
      failGlobalJobIfUnowned(d.db, token, error, PHASE2_RETRY_DELAY_SECONDS, now);
    d.log.warn(`memories phase 2 ${status.replace('failed_', 'failed: ')}: ${error}`);
    return { ...base, ...extra, status, error };
  };

  let selection;
  try {
    selection = getPhase2InputSelection(
      d.db,
      d.settings.max_raw_memories_for_consolidation,
      d.settings.max_unused_days,
      d.nowSeconds(),
    );
  } catch (err) {
    return fail('failed_load_stage1_outputs', (err as Error).message);
  }
  const counts = { selected: selection.selected.length, removed: selection.removed.length };
  const completion = Math.max(claim.inputWatermark, ...selection.selected.map((s) => s.sourceUpdatedAt));
  const artifacts = buildArtifactSet(selection.selected, selection.previousSelected);
  try {
    const sync = await syncRolloutSummaries(d.memoryRoot, artifacts);
    for (const f of sync.failures) d.log.warn(`could not delete ${f.path}: ${f.message}`);
  } catch (err) {
    return fail('failed_sync_artifacts', (err as Error).message, counts);
  }
  try {
    await rebuildRawMemories(d.memoryRoot, artifacts);
  } catch (err) {
    return fail('failed_rebuild_raw_memories', (err as Error).message, counts);
  }
  if (selection.selected.length === 0) {
    succeedGlobalJob(d.db, token, completion, [], d.nowSeconds());
    d.log.info('memories phase 2: no input; artifacts cleared');
    return { ...base, ...counts, status: 'succeeded_no_input' };
  }

  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort(d.signal?.reason);
  d.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let lost: string | null = null;
  const beat = setInterval(
    () => {
      try {
        if (!heartbeatGlobalJob(d.db, token, PHASE2_LEASE_SECONDS, d.nowSeconds()))
          lost = 'lost global phase-2 ownership during heartbeat';
      } catch (err) {
        lost = `heartbeat failed: ${(err as Error).message}`;
      }
      if (lost) abort.abort(new Error(lost));
    },
    d.heartbeatMs ?? PHASE2_HEARTBEAT_SECONDS * 1000,
  );
  d.log.info(
    `memories phase 2: consolidating ${counts.selected} input${counts.selected === 1 ? '' : 's'}, ${counts.removed} removed`,
  );
  try {
    const res = await d.provider.consolidate({
      model: d.settings.consolidation_model ?? DEFAULT_CONSOLIDATION_MODEL,
      memoryRoot: d.memoryRoot,
      prompt: consolidationPrompt(d.memoryRoot, selection),
      signal: abort.signal,
      ...(d.timeoutMs ? { timeoutMs: d.timeoutMs } : {}),
    });
    if (lost) throw new Error(lost);
    const snapshots = selection.selected.map((s) => ({
      threadId: s.threadId,
      sourceUpdatedAt: s.sourceUpdatedAt,
    }));
    if (!succeedGlobalJob(d.db, token, completion, snapshots, d.nowSeconds()))
      throw new Error('lost global phase-2 ownership before success');
    d.log.info(`memories phase 2 succeeded: ${res.written.join(', ') || 'no file changed'}`);
    return { ...base, ...counts, status: 'succeeded', usage: res.usage, written: res.written };
  } catch (err) {
    return fail('failed_agent', lost ?? (err as Error).message, counts);
  } finally {
    clearInterval(beat);
    d.signal?.removeEventListener('abort', onOuterAbort);
  }
}
