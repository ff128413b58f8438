import { watch, type FSWatcher } from 'chokidar';
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';

export interface WatcherOptions {
  codexHome: string;
  /** Called with a batch of changed rollout paths once they settle. */
  onPaths: (paths: string[]) => void;
  /** Quiet period that coalesces bursts of appends (ms). */
  debounceMs?: number;
  /** How often to look for a CODEX_HOME that does not exist yet (ms). */
  retryMs?: number;
  /** CODEX_HOME did not exist at start and now does: time for a full scan. */
  onHomeAppeared?: () => void;
}

export interface RolloutWatcher {
  ready: Promise<void>;
  close(): Promise<void>;
}

const ROLLOUT = /(^|[\\/])rollout-[^\\/]+\.jsonl(\.zst)?$/;

/**
 * Watches sessions/ and archived_sessions/ (created later too) for new, growing, moved and deleted
 * rollouts. Changes are debounced so a file being appended line by line is re-read a few times a
 * second at most, well inside the 2 s "shows up" budget.
 */
export function watchRollouts(opts: WatcherOptions): RolloutWatcher {
  const { codexHome } = opts;
  const debounceMs = opts.debounceMs ?? 250;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;

  const flush = (): void => {
    timer = null;
    if (pending.size === 0) return;
    const paths = [...pending];
    pending.clear();
    opts.onPaths(paths);
  };
  const queue = (path: string): void => {
    if (!ROLLOUT.test(path)) return;
    pending.add(path);
    if (!timer) timer = setTimeout(flush, debounceMs);
  };
  const relevant = (path: string): boolean => {
    const rel = relative(codexHome, path);
    if (rel === '') return true;
    const top = rel.split(sep)[0];
    return top === 'sessions' || top === 'archived_sessions';
  };

  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const start = (): void => {
    if (closed) return;
    watcher = watch(codexHome, {
      ignoreInitial: true,
      // CODEX_HOME/sessions/YYYY/MM/DD/file is depth 4; the legacy flat layout and archive are shallower.
      depth: 5,
      ignored: (path: string) => !relevant(path),
      persistent: true,
    });
    watcher.on('add', queue).on('change', queue).on('unlink', queue);
    watcher.on('ready', () => resolveReady());
    watcher.on('error', () => {
      // Transient watch errors (a folder removed mid-scan) must not take the app down; the next
      // start-up re-scan reconciles anything missed.
    });
  };

  if (existsSync(codexHome)) {
    start();
  } else {
    resolveReady();
    retry = setInterval(() => {
      if (existsSync(codexHome)) {
        if (retry) clearInterval(retry);
        retry = null;
        start();
        opts.onHomeAppeared?.();
      }
    }, opts.retryMs ?? 3000);
    retry.unref();
  }

  return {
    ready,
    async close() {
      closed = true;
      if (retry) clearInterval(retry);
      if (timer) clearTimeout(timer);
      await watcher?.close();
    },
  };
}
