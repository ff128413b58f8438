import { existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  MemoriesSettingsPatch,
  MemoriesSettingsView,
  MemoriesStatus,
  PipelineRun,
} from '../../preload/contract/memories.ts';
import { AppError } from '../core/app-error.ts';
import type { Slicer } from '../core/time-slice.ts';
import type { Logger } from '../logs/app-logger.ts';
import { SettingsError, type SettingsStore } from '../settings/settings-store.ts';
import type { Db } from '../state/connection.ts';
import { createMemoriesQueries } from './memories-queries.ts';
import { clearMemoryData, clearMemoryRoot, resetMemoryDataForFreshStart } from './memory-clear.ts';
import { PRUNE_BATCH_SIZE } from './memory-constants.ts';
import { listMemoryRoot, readMemoryFile } from './memory-root-files.ts';
import { runPhase1 } from './phase1-run.ts';
import { runPhase2 } from './phase2-run.ts';
import { createProvider } from './providers/create-provider.ts';
import type { MemoryProvider, ProviderEnv } from './providers/provider.ts';
import { pruneStage1OutputsForRetention } from './stage1-finalize.ts';

/** While enabled, the pipeline runs after the initial ingest and then this often (seed: at session start). */
export const MEMORIES_INTERVAL_MS = 30 * 60 * 1000;

export interface MemoriesServiceOptions {
  db: Db;
  dataDir: string;
  settings: SettingsStore;
  log: Logger;
  /** Recorded as the jobs' worker id (the seed uses the session's thread id). */
  workerId: string;
  onChanged: (reason: string) => void;
  nowSeconds?: () => number;
  /** Where provider keys are read from and the Codex CLI finds its PATH (default process.env). */
  env?: ProviderEnv;
  /** For tests: a provider instead of the one the settings describe. */
  provider?: MemoryProvider;
  intervalMs?: number;
  slicer?: Slicer;
}

export type MemoriesService = ReturnType<typeof createMemoriesService>;

/**
 * The memories pipeline in the main process (seed §5.1 order: prune → phase 1 → phase 2), one run at a
 * time, on demand or on a schedule while enabled; cancellable (jobs in flight are failed and retried
 * later by the job rules). Also the read side of the Memories page and its commands.
 */
export function createMemoriesService(o: MemoriesServiceOptions) {
  const now = o.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const queries = createMemoriesQueries(o.db);
  const setMode = o.db.prepare('UPDATE threads SET memory_mode = ? WHERE id = ?');
  let running: Promise<PipelineRun> | null = null;
  let phase: MemoriesStatus['phase'] = null;
  let abort: AbortController | null = null;
  let lastRun: PipelineRun | null = null;
  let timer: NodeJS.Timeout | null = null;
  let nextRunAt: number | null = null;
  let closed = false;

  const settings = (): MemoriesSettingsView => o.settings.get().memories;
  const root = (): string => settings().memory_root ?? join(o.dataDir, 'memories');
  const changed = (reason: string): void => o.onChanged(reason);

  const pipeline = async (signal: AbortSignal): Promise<PipelineRun> => {
    const s = settings();
    const run: PipelineRun = {
      startedAt: Date.now(),
      finishedAt: null,
      pruned: 0,
      phase1: null,
      phase2: null,
      error: null,
    };
    lastRun = run;
    const provider = o.provider ?? createProvider(s.provider, o.env ?? process.env);
    const step = (p: MemoriesStatus['phase']): void => {
      phase = p;
      changed(p ?? 'idle');
    };
    try {
      step('prune');
      run.pruned = pruneStage1OutputsForRetention(o.db, s.max_unused_days, PRUNE_BATCH_SIZE, now());
      if (signal.aborted) throw new Error('cancelled');
      step('phase1');
      const p1 = await runPhase1({
        db: o.db,
        provider,
        settings: s,
        workerId: o.workerId,
        nowSeconds: now,
        log: o.log,
        signal,
      });
      run.phase1 = { claimed: p1.claimed, succeeded: p1.succeeded, noOutput: p1.noOutput, failed: p1.failed };
      if (signal.aborted) throw new Error('cancelled');
      step('phase2');
      mkdirSync(root(), { recursive: true });
      const p2 = await runPhase2({
        db: o.db,
        provider,
        settings: s,
        memoryRoot: root(),
        workerId: o.workerId,
        nowSeconds: now,
        log: o.log,
        signal,
      });
      run.phase2 = { status: p2.status, selected: p2.selected, removed: p2.removed, error: p2.error };
    } catch (err) {
      run.error = signal.aborted ? 'cancelled' : (err as Error).message;
      o.log.warn(`memories pipeline stopped: ${run.error}`);
    } finally {
      run.finishedAt = Date.now();
      step(null);
    }
    return run;
  };

  const start = (why: string): { started: boolean; reason: string | null } => {
    if (closed) return { started: false, reason: 'Threadscope is closing' };
    if (!settings().enabled)
      return { started: false, reason: 'The memories pipeline is off: enable it in Settings.' };
    if (running) return { started: false, reason: 'The pipeline is already running.' };
    o.log.info(`memories pipeline started (${why})`);
    const controller = new AbortController();
    abort = controller;
    running = pipeline(controller.signal).finally(() => {
      running = null;
      abort = null;
    });
    return { started: true, reason: null };
  };

  const schedule = (): void => {
    if (timer) clearInterval(timer);
    timer = null;
    nextRunAt = null;
    if (closed || !settings().enabled) return;
    const every = o.intervalMs ?? MEMORIES_INTERVAL_MS;
    nextRunAt = Date.now() + every;
    timer = setInterval(() => {
      nextRunAt = Date.now() + every;
      start('schedule');
    }, every);
    timer.unref();
  };

  const refuseWhileRunning = (what: string): void => {
    if (running) throw new AppError('CONFLICT', `Cannot ${what} while the pipeline runs: cancel it first.`);
  };

  /**
   * Drop and reset empty the root: refuse when it holds anything the pipeline does not write (a memory root
   * pointed at the home folder or a project must never be wiped).
   */
  const MEMORY_LAYOUT = new Set([
    'MEMORY.md',
    'memory_summary.md',
    'raw_memories.md',
    'rollout_summaries',
    'skills',
  ]);
  const refuseForeignRoot = (): void => {
    let names: string[];
    try {
      names = readdirSync(root());
    } catch {
      return;
    }
    const foreign = names.filter((n) => !MEMORY_LAYOUT.has(n) && !n.startsWith('.'));
    if (foreign.length > 0)
      throw new AppError(
        'FORBIDDEN',
        `The memory root ${root()} holds files the pipeline did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): not emptied. Move them away or choose another memory root.`,
        [root()],
      );
  };

  const rootIsSymlink = (): boolean => {
    try {
      return lstatSync(root()).isSymbolicLink();
    } catch {
      return false;
    }
  };

  return {
    status(): MemoriesStatus {
      return {
        settings: settings(),
        settingsProblem: o.settings.problem,
        memoryRoot: root(),
        rootExists: existsSync(root()),
        running: running !== null,
        phase,
        lastRun,
        nextRunAt,
        counts: queries.counts(now()),
      };
    },
    jobs: () => queries.jobs(),
    outputs: (limit: number) => queries.outputs(limit),
    output(threadId: string) {
      const r = queries.output(threadId);
      if (r.mode === null) throw new AppError('NOT_FOUND', `No thread ${threadId}`);
      return r;
    },
    files: () => listMemoryRoot(root()),
    readFile: (path: string) => readMemoryFile(root(), path),
    /** After the initial ingest (and on demand): runs when enabled, then keeps the schedule. */
    afterIngest(): void {
      schedule();
      start('after ingest');
    },
    run: () => start('run now'),
    /** Resolves with the current run's report (tests, CLI). */
    idle: (): Promise<PipelineRun | null> => running ?? Promise.resolve(lastRun),
    cancel(): { cancelled: boolean } {
      if (!abort) return { cancelled: false };
      abort.abort(new Error('cancelled'));
      return { cancelled: true };
    },
    async drop() {
      refuseWhileRunning('drop memories');
      if (rootIsSymlink())
        throw new AppError('FORBIDDEN', `The memory root ${root()} is a symbolic link: not emptied.`);
      refuseForeignRoot();
      const rows = clearMemoryData(o.db);
      const failures = existsSync(root()) ? await clearMemoryRoot(root()) : [];
      o.log.info(`memories dropped: ${rows.stage1OutputsDeleted} outputs, ${rows.jobsDeleted} jobs`);
      changed('drop');
      return {
        rows: rows.stage1OutputsDeleted + rows.jobsDeleted,
        failures: failures.map((f) => `${f.path}: ${f.message}`),
      };
    },
    async reset() {
      refuseWhileRunning('reset memories');
      if (rootIsSymlink())
        throw new AppError('FORBIDDEN', `The memory root ${root()} is a symbolic link: not emptied.`);
      refuseForeignRoot();
      const r = resetMemoryDataForFreshStart(o.db);
      const failures = existsSync(root()) ? await clearMemoryRoot(root()) : [];
      o.settings.updateMemories({ enabled: false });
      schedule();
      o.log.info(`memories reset: ${r.threadsDisabled} threads disabled, pipeline off`);
      changed('reset');
      return {
        rows: r.stage1OutputsDeleted + r.jobsDeleted,
        threadsDisabled: r.threadsDisabled,
        failures: failures.map((f) => `${f.path}: ${f.message}`),
      };
    },
    setThreadMode(threadId: string, mode: 'enabled' | 'disabled') {
      if (setMode.run(mode, threadId).changes === 0) throw new AppError('NOT_FOUND', `No thread ${threadId}`);
      o.log.info(`memory mode set to ${mode}`, { threadId });
      changed('mode');
      return { threadId, mode };
    },
    updateSettings(patch: MemoriesSettingsPatch): MemoriesSettingsView {
      const wasEnabled = settings().enabled;
      try {
        o.settings.updateMemories(patch);
      } catch (err) {
        if (err instanceof SettingsError) throw new AppError('INVALID_INPUT', err.message);
        throw err;
      }
      if (settings().enabled !== wasEnabled) schedule();
      changed('settings');
      return settings();
    },
    async close(): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      abort?.abort(new Error('cancelled'));
      await running?.catch(() => undefined);
    },
  };
}
