import { join, resolve } from 'node:path';
import { version } from '../../package.json';
import type { AppInfo, EventPayload, IngestSummary } from '../../preload/contract/index.ts';
import { acquireDataDirLock, checkDataDir } from '../core/data-dir-lock.ts';
import { createSlicer } from '../core/time-slice.ts';
import { createIngestHandlers } from '../ingest/ingest-handlers.ts';
import { inlineExtractPool, workerExtractPool } from '../ingest/extract-pool.ts';
import type { IngestApi } from '../ingest/ingest-api.ts';
import { createIngestService } from '../ingest/ingest-service.ts';
import { createWorkerIngest } from '../ingest/worker-ingest.ts';
import { watchRollouts, type RolloutWatcher } from '../ingest/rollout-watcher.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { createRouter, type Handlers, type Router } from '../ipc/router.ts';
import type { FeedbackConfig } from '../feedback/feedback-config.ts';
import { createFeedbackHandlers } from '../feedback/feedback-handlers.ts';
import { createFeedbackService } from '../feedback/feedback-service.ts';
import { createLogsHandlers } from '../logs/logs-handlers.ts';
import { createMemoriesHandlers } from '../memories/memories-handlers.ts';
import {
  createMemoriesService,
  type MemoriesService,
  type MemoriesServiceOptions,
} from '../memories/memories-service.ts';
import { SettingsStore } from '../settings/settings-store.ts';
import { createLogsService, type LogsConfig, type LogsService } from '../logs/logs-service.ts';
import { createSearchHandlers } from '../search/search-handlers.ts';
import { createSearchService, type SearchService } from '../search/search-service.ts';
import type { Db } from '../state/connection.ts';
import { openStateDb, stateDbFileName } from '../state/state-db.ts';
import { createThreadActionHandlers, type AppDialogs } from '../threads/thread-action-handlers.ts';
import { createThreadHandlers } from '../threads/thread-handlers.ts';
import { createTranscriptHandlers } from '../threads/transcript-handlers.ts';
import { logIngestSummary, logThreadChanges, withCallLogging } from './app-logging.ts';
import type { WorkerScripts } from './worker-url.ts';
import { memoryWorkerId, releaseDeadWorkerLeases } from '../memories/dead-worker-leases.ts';
import { pollutionRuleFromSettings } from '../settings/pollution-rule.ts';

export interface AppCoreOptions {
  codexHome: string;
  dataDir: string;
  shell: AppInfo['shell'];
  /**
   * Hold `<dataDir>/threadscope.lock` while open, refusing (AppError CONFLICT) when another live
   * process holds it. Default: the long-running shells (electron, serve); the CLI's short runs share
   * the data dir through SQLite's own locking and leases.
   */
  lockDataDir?: boolean;
  /** Watch CODEX_HOME for new and growing rollouts after the initial ingest (default true). */
  watch?: boolean;
  /** Provider recorded when a rollout names none (seed: the configured default). */
  defaultProvider?: string;
  /**
   * Worker scripts (see `builtWorkers`): with `ingest`, ingestion runs on a worker thread with its
   * own write connection; without, on this thread, time-sliced (extraction still uses `extract`).
   */
  workers?: WorkerScripts | null;
  /** Where WARN/ERROR lines are mirrored besides the logs DB (default: stderr; none for the test shell). */
  log?: (message: string) => void;
  /** Native dialogs (the Electron shell); without them `threads:saveExport` is unavailable. */
  dialogs?: AppDialogs | null;
  /** Caps, retention, level and flush interval of the app's own logs (defaults: the seed's). */
  logs?: Partial<LogsConfig>;
  /** Where feedback goes (a Sentry DSN or an https URL; none keeps it local) and its size limit. */
  feedback?: Partial<FeedbackConfig>;
  /** Test seams of the memories service (a fixed clock, a provider, the provider env). */
  memories?: Pick<MemoriesServiceOptions, 'nowSeconds' | 'provider' | 'env' | 'intervalMs'>;
  /** The desktop file manager, for "reveal" (Electron's shell.showItemInFolder). */
  showItemInFolder?: ((path: string) => void) | null;
}

/** Everything a shell needs: the router over all handlers, the event bus, and lifecycle. */
export interface AppCore {
  readonly info: AppInfo;
  readonly router: Router;
  readonly bus: EventBus;
  readonly handlers: Handlers;
  /** The content index (tests and benchmarks await `search.idle()` / `search.syncNow()`). */
  readonly search: SearchService;
  /** Both log sources and the app's structured logger. */
  readonly logs: LogsService;
  /** The memories pipeline (tests await `memories.idle()`). */
  readonly memories: MemoriesService;
  /** Initial backfill or incremental re-scan, then the watcher. Resolves when the initial ingest is done. */
  start(): Promise<IngestSummary>;
  close(): Promise<void>;
}

/** The composition root shared by the Electron shell, the serve shell, the CLI and the benchmarks. */
export async function createAppCore(opts: AppCoreOptions): Promise<AppCore> {
  const codexHome = resolve(opts.codexHome);
  const dataDir = resolve(opts.dataDir);
  // Tests and the CLI keep stderr for their own output: their WARN lines are in the logs DB.
  const quiet = opts.shell === 'test' || opts.shell === 'cli';
  const log = opts.log ?? (quiet ? () => {} : (m: string) => process.stderr.write(`${m}\n`));
  const exclusive = opts.lockDataDir ?? (opts.shell === 'electron' || opts.shell === 'serve');
  const lock = exclusive ? acquireDataDirLock(dataDir, opts.shell) : null;
  if (!lock) checkDataDir(dataDir);
  let db: Db;
  try {
    db = openStateDb(dataDir);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const bus = new EventBus();
  const slicer = createSlicer(8);
  const defaultProvider = opts.defaultProvider ?? 'openai';
  const workers = opts.workers ?? { ingest: null, extract: null };
  const logs = createLogsService({
    dataDir,
    codexHome,
    stateDb: db,
    worker: workers.logs ?? null,
    slicer,
    config: opts.logs ?? {},
    onAppended: (source, maxId) => bus.emit('logs:appended', { source, maxId }),
    watchCodex: opts.watch !== false,
    mirror: log,
  });
  const appLog = logs.logger.child('threadscope::app', 'main/app/app-core.ts');
  const ingestLog = logs.logger.child('threadscope::ingest', 'main/ingest/ingest-service.ts');
  const searchLog = logs.logger.child('threadscope::search', 'main/search/search-service.ts');
  const pollutionRule = pollutionRuleFromSettings(dataDir);
  const ingest: IngestApi = workers.ingest
    ? createWorkerIngest(
        workers.ingest,
        {
          dbFile: join(dataDir, stateDbFileName),
          codexHome,
          defaultProvider,
          extractWorker: workers.extract?.href ?? null,
        },
        db,
        bus,
        pollutionRule,
      )
    : createIngestService({
        db,
        codexHome,
        defaultProvider,
        slicer,
        pool: workers.extract ? workerExtractPool(workers.extract) : inlineExtractPool(slicer),
        bus,
        pollutionRule,
      });
  // Content search: its own DB, built after the metadata backfill and kept current on thread changes.
  const search = createSearchService({
    dataDir,
    stateDbFile: join(dataDir, stateDbFileName),
    worker: workers.search ?? null,
    slicer,
    onProgress: (p) => bus.emit('search:progress', p),
    log: (m) => searchLog.error(m.replace(/^\[threadscope\] /, '')),
  });
  const titleOf = db.prepare('SELECT title FROM threads WHERE id = ?').pluck();
  bus.subscribe((name, payload) => {
    if (name !== 'threads:changed') return;
    search.requestSync();
    logThreadChanges(ingestLog, payload as EventPayload<'threads:changed'>, (id) => {
      const title = titleOf.get(id) as string | undefined;
      return title ?? null;
    });
  });
  const info: AppInfo = {
    name: 'Threadscope',
    version,
    shell: opts.shell,
    codexHome,
    dataDir,
    platform: process.platform,
  };
  const settings = new SettingsStore(dataDir);
  const memories = createMemoriesService({
    db,
    dataDir,
    settings,
    log: logs.logger.child('threadscope::memories', 'main/memories/memories-service.ts'),
    workerId: memoryWorkerId(logs.status('app').currentProcess),
    onChanged: (reason) => bus.emit('memories:changed', { reason }),
    slicer,
    ...(opts.memories ?? {}),
  });
  // A Threadscope that died holding the data dir (its lock was just taken over) cannot finish its
  // memory jobs: end their leases now rather than an hour from the crash.
  const dead = lock?.takenOverFrom;
  if (dead) {
    const released = releaseDeadWorkerLeases(db, dead.pid, Math.floor(Date.now() / 1000));
    appLog.warn(
      `took over the data dir from ${dead.shell} process ${dead.pid} (started ${dead.startedAt}), which ended without releasing it` +
        (released > 0 ? `; released its ${released} memory job lease${released === 1 ? '' : 's'}` : ''),
    );
  }
  const feedback = createFeedbackService({
    dataDir,
    codexHome,
    stateDb: db,
    logs,
    appVersion: version,
    shell: opts.shell,
    slicer,
    endpoint: opts.feedback?.endpoint ?? null,
    ...(opts.feedback?.maxBytes ? { maxBytes: opts.feedback.maxBytes } : {}),
    onChanged: (id) => bus.emit('feedback:changed', { id }),
    showItemInFolder: opts.showItemInFolder ?? null,
  });
  const handlers: Handlers = withCallLogging(
    {
      'app:info': () => info,
      ...createThreadHandlers(db),
      ...createTranscriptHandlers(db),
      ...createIngestHandlers(ingest, codexHome),
      ...createSearchHandlers(search),
      ...createThreadActionHandlers({ db, codexHome, ingest, bus, dialogs: opts.dialogs ?? null }),
      ...createLogsHandlers(logs),
      ...createFeedbackHandlers(feedback),
      ...createMemoriesHandlers(memories),
    },
    logs.logger.child('threadscope::ipc', 'main/ipc/router.ts'),
  );
  const router = createRouter(handlers);
  let watcher: RolloutWatcher | null = null;
  let closed = false;

  const background = (what: string, p: Promise<unknown>): void => {
    p.catch((err: unknown) => appLog.error(`${what} failed: ${(err as Error).message ?? String(err)}`));
  };

  return {
    info,
    router,
    bus,
    handlers,
    search,
    logs,
    memories,
    async start() {
      if (opts.watch !== false && !watcher) {
        // Start watching before the scan so nothing written during a long backfill is missed.
        watcher = watchRollouts({
          codexHome,
          onPaths: (paths) =>
            background(
              're-ingest',
              ingest.scanPaths(paths).then((s) => logIngestSummary(ingestLog, 're-ingest', s)),
            ),
          onHomeAppeared: () =>
            background(
              'scan',
              ingest.scanAll().then((s) => logIngestSummary(ingestLog, 'scan', s)),
            ),
        });
        await watcher.ready;
        ingest.setWatching(true);
      }
      appLog.info(
        `Threadscope ${version} (${opts.shell}) started: CODEX_HOME ${codexHome}, data dir ${dataDir}`,
      );
      const summary = await ingest.scanAll();
      logIngestSummary(ingestLog, 'initial scan', summary);
      search.enable();
      // A CLI command is one short run: it must not start (and then cancel) the pipeline on the side.
      if (opts.shell !== 'cli') memories.afterIngest();
      return summary;
    },
    async close() {
      if (closed) return;
      closed = true;
      ingest.setWatching(false);
      await watcher?.close();
      await ingest.close();
      await search.close();
      await memories.close();
      appLog.info('Threadscope is closing');
      await logs.close();
      db.close();
      lock?.release();
    },
  };
}
