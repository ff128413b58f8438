import type { IngestProgress, IngestSummary, Output, Thread } from '../../preload/contract/index.ts';
import type { WorkerScripts } from '../app/worker-url.ts';
import { AppError } from '../core/app-error.ts';
import { parseCli, UsageError, USAGE, type CliCommand } from './cli-args.ts';
import { call, withCliCore } from './cli-core.ts';
import { runFeedback } from './cli-feedback.ts';
import { formatBytes, threadToJson } from './cli-format.ts';
import { runLogs, type LogsRunOptions } from './cli-logs.ts';
import { runMemories, type MemoriesRunOptions } from './cli-memories.ts';

export interface Writable {
  write(chunk: string): unknown;
  /** Set on a terminal (process.stdout): `logs` colours its lines only then. */
  isTTY?: boolean;
}

async function runIngest(
  cmd: Extract<CliCommand, { command: 'ingest' }>,
  out: Writable,
  workers: WorkerScripts | null,
): Promise<number> {
  return withCliCore(cmd, workers, async (core) => {
    let lastLine = 0;
    const unsubscribe = core.bus.subscribe((name, payload) => {
      if (name !== 'ingest:progress') return;
      const p = payload as IngestProgress;
      const t = Date.now();
      if (p.phase !== 'ingesting' || t - lastLine < 500) return;
      lastLine = t;
      const bytes =
        p.bytesTotal > 0
          ? `, ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`
          : `, ${formatBytes(p.bytesDone)}`;
      out.write(
        `ingesting: ${p.filesDone}/${p.filesTotal} files${bytes}, ${p.threadsUpserted} threads, ${p.problems} problems\n`,
      );
    });
    try {
      out.write(`Scanning ${core.info.codexHome} into ${core.info.dataDir}\n`);
      const s: IngestSummary = await core.start();
      out.write(
        `Done in ${(s.durationMs / 1000).toFixed(2)} s: ${s.filesSeen} rollout files, ${s.filesIngested} read, ` +
          `${s.filesUnchanged} unchanged, ${s.filesRemoved} removed, ${s.threadsUpserted} threads upserted, ` +
          `${s.problems.length} problem files.\n`,
      );
      for (const p of s.problems) out.write(`  problem: ${p.path}: ${p.message}\n`);
      return 0;
    } finally {
      unsubscribe();
    }
  });
}

async function runThreads(
  cmd: Extract<CliCommand, { command: 'threads' }>,
  out: Writable,
  workers: WorkerScripts | null,
): Promise<number> {
  return withCliCore(cmd, workers, async (core) => {
    await core.start();
    const all: Thread[] = [];
    let cursor: string | null = null;
    do {
      const page: Output<'threads:list'> = await call(core, 'threads:list', {
        cursor,
        limit: 500,
        sortKey: 'created_at',
        archived: cmd.archived,
        searchTerm: cmd.search,
        includeWithoutUserMessage: true,
      });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    out.write(`${JSON.stringify(all.map(threadToJson), null, 2)}\n`);
    return 0;
  });
}

/** Runs one CLI command; returns the exit code (2 = bad arguments). */
export async function runCli(
  argv: string[],
  out: Writable,
  err: Writable,
  workers: WorkerScripts | null = null,
  opts: LogsRunOptions & MemoriesRunOptions = {},
): Promise<number> {
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    out.write(USAGE);
    return 0;
  }
  let cmd: CliCommand;
  try {
    cmd = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  try {
    if (cmd.command === 'logs') return await runLogs(cmd, out, err, opts);
    if (cmd.command === 'feedback') return await runFeedback(cmd, out, err, workers, opts);
    if (cmd.command === 'memories') return await runMemories(cmd, out, err, workers, opts);
    return cmd.command === 'ingest'
      ? await runIngest(cmd, out, workers)
      : await runThreads(cmd, out, workers);
  } catch (e) {
    const code = e instanceof AppError ? `${e.code}: ` : '';
    err.write(`threadscope: ${code}${(e as Error).message}\n`);
    return 1;
  }
}
