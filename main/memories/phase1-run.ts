import type { Slicer } from '../core/time-slice.ts';
import type { Logger } from '../logs/app-logger.ts';
import type { Db } from '../state/connection.ts';
import {
  PHASE1_ALLOWED_SOURCES,
  PHASE1_CONCURRENCY,
  PHASE1_LEASE_SECONDS,
  PHASE1_RETRY_DELAY_SECONDS,
  PHASE1_SCAN_LIMIT,
  DEFAULT_EXTRACT_MODEL,
} from './memory-constants.ts';
import type { MemoryProvider, TokenUsage } from './providers/provider.ts';
import { claimStage1JobsForStartup, type Stage1Claim } from './stage1-jobs.ts';
import {
  markStage1JobFailed,
  markStage1JobSucceeded,
  markStage1JobSucceededNoOutput,
} from './stage1-finalize.ts';
import {
  buildStage1Input,
  DEFAULT_STAGE1_TOKEN_BUDGET,
  parseStage1Output,
  STAGE1_OUTPUT_SCHEMA,
  STAGE1_SYSTEM_PROMPT,
} from './stage1-input.ts';

export interface Phase1Settings {
  max_rollouts_per_startup: number;
  max_rollout_age_days: number;
  min_rollout_idle_hours: number;
  extract_model: string | null;
}

export interface Phase1Deps {
  db: Db;
  provider: MemoryProvider;
  settings: Phase1Settings;
  /** Recorded as the jobs' worker and excluded from candidates (the seed's current thread id). */
  workerId: string;
  nowSeconds: () => number;
  log: Logger;
  tokenBudget?: number;
  signal?: AbortSignal;
  /** Per extraction (default: the provider's). */
  timeoutMs?: number;
  /** Reading rollouts yields to the event loop when a slice is spent (main process). */
  slicer?: Slicer;
}

export type Phase1Outcome = 'succeeded' | 'succeeded_no_output' | 'failed';

export interface Phase1Summary {
  claimed: number;
  succeeded: number;
  noOutput: number;
  failed: number;
  /** Per thread, in claim order. */
  results: { threadId: string; outcome: Phase1Outcome; error: string | null }[];
  usage: TokenUsage | null;
}

const addUsage = (a: TokenUsage | null, b: TokenUsage | null): TokenUsage | null =>
  !b
    ? a
    : {
        input: (a?.input ?? 0) + b.input,
        cachedInput: (a?.cachedInput ?? 0) + b.cachedInput,
        output: (a?.output ?? 0) + b.output,
        reasoningOutput: (a?.reasoningOutput ?? 0) + b.reasoningOutput,
        total: (a?.total ?? 0) + b.total,
      };

/**
 * Seed §5.7–§5.9: claim stale threads (at most `max_rollouts_per_startup`, across every process sharing
 * the DB), then extract each — up to 8 at a time — and finalise with the claim's ownership token:
 * success stores the output and makes phase 2 dirty, an empty summary or memory is "no output", any
 * error (or a finaliser that lost ownership) is a failure retried after an hour.
 */
export async function runPhase1(d: Phase1Deps): Promise<Phase1Summary> {
  const log = d.log;
  const claims = claimStage1JobsForStartup(
    d.db,
    {
      currentThreadId: d.workerId,
      scanLimit: PHASE1_SCAN_LIMIT,
      maxClaimed: d.settings.max_rollouts_per_startup,
      maxAgeDays: d.settings.max_rollout_age_days,
      minRolloutIdleHours: d.settings.min_rollout_idle_hours,
      allowedSources: PHASE1_ALLOWED_SOURCES,
      leaseSeconds: PHASE1_LEASE_SECONDS,
    },
    d.nowSeconds(),
  );
  const summary: Phase1Summary = {
    claimed: claims.length,
    succeeded: 0,
    noOutput: 0,
    failed: 0,
    results: [],
    usage: null,
  };
  if (claims.length === 0) {
    log.debug('memories phase 1: no thread to extract');
    return summary;
  }
  log.info(`memories phase 1: ${claims.length} thread${claims.length === 1 ? '' : 's'} claimed`);
  const model = d.settings.extract_model ?? DEFAULT_EXTRACT_MODEL;
  const results = new Map<string, Phase1Summary['results'][number]>();

  const one = async (c: Stage1Claim): Promise<void> => {
    let outcome: Phase1Outcome = 'failed';
    let error: string | null = null;
    try {
      const user = await buildStage1Input(c, d.tokenBudget ?? DEFAULT_STAGE1_TOKEN_BUDGET, d.slicer);
      const res = await d.provider.extract({
        model,
        system: STAGE1_SYSTEM_PROMPT,
        user,
        schema: STAGE1_OUTPUT_SCHEMA as unknown as Record<string, unknown>,
        ...(d.signal ? { signal: d.signal } : {}),
        ...(d.timeoutMs ? { timeoutMs: d.timeoutMs } : {}),
      });
      summary.usage = addUsage(summary.usage, res.usage);
      const out = parseStage1Output(res.text);
      const now = d.nowSeconds();
      // Exactly empty (not trimmed), as the seed.
      const empty = out.rawMemory === '' || out.rolloutSummary === '';
      const owned = empty
        ? markStage1JobSucceededNoOutput(d.db, c.threadId, c.ownershipToken, now)
        : markStage1JobSucceeded(
            d.db,
            c.threadId,
            c.ownershipToken,
            { sourceUpdatedAt: c.sourceUpdatedAt, ...out },
            now,
          );
      if (!owned)
        throw new Error('lost ownership of the stage-1 job (its lease expired and another run took it)');
      outcome = empty ? 'succeeded_no_output' : 'succeeded';
    } catch (err) {
      error = (err as Error).message;
      markStage1JobFailed(
        d.db,
        c.threadId,
        c.ownershipToken,
        error,
        PHASE1_RETRY_DELAY_SECONDS,
        d.nowSeconds(),
      );
    }
    results.set(c.threadId, { threadId: c.threadId, outcome, error });
    if (outcome === 'succeeded') log.info('memory extracted', { threadId: c.threadId });
    else if (outcome === 'succeeded_no_output')
      log.info('nothing durable to remember', { threadId: c.threadId });
    else log.warn(`memory extraction failed: ${error ?? ''}`, { threadId: c.threadId });
  };

  // Seed §5.3: 8 extractions at a time.
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < claims.length) {
      const c = claims[next++];
      if (c) await one(c);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PHASE1_CONCURRENCY, claims.length) }, lane));
  for (const c of claims) {
    const r = results.get(c.threadId);
    if (!r) continue;
    summary.results.push(r);
    if (r.outcome === 'succeeded') summary.succeeded++;
    else if (r.outcome === 'succeeded_no_output') summary.noOutput++;
    else summary.failed++;
  }
  return summary;
}
