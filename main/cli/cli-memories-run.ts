import type { EventPayload, PipelineRun } from '../../preload/contract/index.ts';
import type { AppCore } from '../app/app-core.ts';
import type { Writable } from './cli.ts';
import { call } from './cli-core.ts';
import type { MemoriesCommand } from './cli-memories-args.ts';
import {
  ENABLE_HINT,
  failuresOf,
  failuresText,
  providerText,
  runFailed,
  runText,
} from './cli-memories-format.ts';

/** Where `drop` / `reset` ask for confirmation (a terminal only). */
export type PromptInput = NodeJS.ReadableStream & { isTTY?: boolean };

export interface MemoriesRunOptions {
  /** Cancels `run` (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
  /** Default process.stdin. */
  stdin?: PromptInput;
}

export type Cmd<A extends MemoriesCommand['action']> = Extract<MemoriesCommand, { action: A }>;

/**
 * Reads what changed in CODEX_HOME, like the other commands, but through `ingest:rescan` rather than
 * `core.start()`: start-up also kicks off the scheduled pipeline run, which this short-lived process would
 * only cancel again at exit (and `run` starts its own).
 */
export const ingest = async (core: AppCore): Promise<void> => void (await call(core, 'ingest:rescan', {}));

export const json = (out: Writable, v: unknown): void => void out.write(`${JSON.stringify(v, null, 2)}\n`);

const PHASES: Record<string, string> = {
  prune: 'Pruning memories unused for too long…',
  phase1: 'Phase 1: extracting memories from idle threads…',
  phase2: 'Phase 2: consolidating them into MEMORY.md and memory_summary.md…',
};

/** `next(ms)` resolves on the next `memories:changed` event, a `poke()` or after `ms`, whichever is first. */
function waiter(core: AppCore, onEvent: (reason: string) => void) {
  let wake: (() => void) | null = null;
  const unsubscribe = core.bus.subscribe((name, payload) => {
    if (name !== 'memories:changed') return;
    onEvent((payload as EventPayload<'memories:changed'>).reason);
    wake?.();
  });
  const poke = (): void => wake?.();
  const next = (ms: number): Promise<void> =>
    new Promise((done) => {
      const timer = setTimeout(() => finish(), ms);
      const finish = (): void => {
        clearTimeout(timer);
        wake = null;
        done();
      };
      wake = finish;
    });
  return { next, poke, unsubscribe };
}

/** A signal for Ctrl+C (removed by dispose), unless the caller brings its own. */
function stopSignal(external: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } {
  if (external) return { signal: external, dispose: () => {} };
  const own = new AbortController();
  const abort = (): void => own.abort();
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  return {
    signal: own.signal,
    dispose: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}

/** `run`: starts the pipeline in this process and follows it to the end (Ctrl+C cancels it). */
export async function runPipeline(
  core: AppCore,
  cmd: Cmd<'run'>,
  out: Writable,
  err: Writable,
  opts: MemoriesRunOptions,
): Promise<number> {
  await ingest(core);
  const t0 = Date.now();
  const progress = (line: string): void => void (cmd.json ? undefined : out.write(`${line}\n`));
  // The first phases begin before `memories:run` answers: held until it says the run is ours.
  let early: string[] | null = [];
  const w = waiter(core, (reason) => {
    const text = PHASES[reason];
    if (text && early) early.push(text);
    else if (text) progress(text);
  });
  const stop = stopSignal(opts.signal);
  stop.signal.addEventListener('abort', w.poke, { once: true });
  try {
    const before = await call(core, 'memories:jobs', {});
    const started = await call(core, 'memories:run', {});
    if (!started.started) {
      const s = await call(core, 'memories:status', {});
      const hint = s.settings.enabled
        ? ''
        : `\nTurn it on with: ${ENABLE_HINT} (provider: ${providerText(s.settings.provider)})`;
      if (cmd.json) json(out, { started: false, reason: started.reason, run: null, failures: [] });
      err.write(`threadscope: memories run: ${started.reason ?? 'the pipeline did not start'}${hint}\n`);
      return 1;
    }
    progress(`Memories pipeline started (${core.info.dataDir}).`);
    for (const line of early) progress(line);
    early = null;
    let cancelling = false;
    let done: { run: PipelineRun; root: string } | null = null;
    while (!done) {
      if (stop.signal.aborted && !cancelling) {
        cancelling = true;
        progress('Cancelling (jobs in flight are retried later)…');
        await call(core, 'memories:cancel', {});
      }
      const s = await call(core, 'memories:status', {});
      // Its report is final once finishedAt is set (a moment before `running` clears).
      if (s.lastRun && s.lastRun.startedAt >= t0 && s.lastRun.finishedAt !== null)
        done = { run: s.lastRun, root: s.memoryRoot };
      else if (cancelling || !stop.signal.aborted) await w.next(1000);
    }
    const { run, root } = done;
    const failures = failuresOf(before, await call(core, 'memories:jobs', {}));
    if (cmd.json) json(out, { started: true, reason: null, run, failures });
    else {
      out.write([...runText(run), ...failuresText(failures)].map((l) => `${l}\n`).join(''));
      if (!runFailed(run)) out.write(`Memory root: ${root} (see: npm run cli -- memories files)\n`);
    }
    return runFailed(run) ? 1 : 0;
  } finally {
    stop.signal.removeEventListener('abort', w.poke);
    stop.dispose();
    w.unsubscribe();
  }
}
