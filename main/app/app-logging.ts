import type { Channel, EventPayload, IngestSummary } from '../../preload/contract/index.ts';
import type { Handlers } from '../ipc/router.ts';
import type { Logger } from '../logs/app-logger.ts';

/** Up to this many changed threads get a row each; a larger batch (a backfill) gets one summary row. */
const PER_THREAD_ROWS = 50;
/** Problems logged one by one per run; the rest are counted. */
const PROBLEM_ROWS = 200;

/** One INFO row per ingest run, one WARN row per problem (with its thread and rollout path). */
export function logIngestSummary(log: Logger, what: string, s: IngestSummary): void {
  const changed = s.filesIngested + s.filesRemoved;
  const line =
    `${what}: ${s.filesSeen} rollout files seen, ${s.filesIngested} read, ${s.filesUnchanged} unchanged, ` +
    `${s.filesRemoved} removed, ${s.threadsUpserted} threads updated, ${s.problems.length} problem${s.problems.length === 1 ? '' : 's'} ` +
    `in ${Math.round(s.durationMs)} ms`;
  if (changed > 0 || s.problems.length > 0 || what === 'initial scan') log.info(line);
  else log.debug(line);
  for (const p of s.problems.slice(0, PROBLEM_ROWS))
    log.warn(`cannot ingest ${p.path}: ${p.message}`, { threadId: p.threadId, file: p.path });
  if (s.problems.length > PROBLEM_ROWS)
    log.warn(`${s.problems.length - PROBLEM_ROWS} more ingest problems not logged (see the Threads page)`);
}

/** `titleOf` answers from the state DB: null when the thread is gone (its rollout was removed). */
export function logThreadChanges(
  log: Logger,
  c: EventPayload<'threads:changed'>,
  titleOf: (id: string) => string | null,
): void {
  if (c.all || c.ids.length > PER_THREAD_ROWS) {
    log.debug(`${c.all ? 'all' : c.ids.length} threads changed`);
    return;
  }
  for (const id of c.ids) {
    const title = titleOf(id);
    const shown = title && title.length > 80 ? `${title.slice(0, 79)}…` : title;
    log.debug(title === null ? 'thread removed' : `thread indexed: ${JSON.stringify(shown)}`, {
      threadId: id,
    });
  }
}

/** Calls that change something, logged at INFO with the thread they concern. */
const MUTATIONS: ReadonlySet<Channel> = new Set<Channel>([
  'threads:archive',
  'threads:unarchive',
  'threads:updateMetadata',
  'threads:saveExport',
  'ingest:rescan',
  'feedback:send',
  'feedback:retry',
  'feedback:remove',
  'memories:run',
  'memories:cancel',
  'memories:drop',
  'memories:reset',
  'memories:setThreadMode',
  'memories:updateSettings',
]);

/** The thread a call concerns: `id` of a threads call, else a `threadId` field. */
const threadOf = (channel: Channel, input: unknown): string | null => {
  const i = input as { id?: unknown; threadId?: unknown } | null;
  const id = channel.startsWith('threads:') ? i?.id : i?.threadId;
  return typeof id === 'string' ? id : null;
};

/**
 * Wraps every handler: mutations are logged when they succeed, and every failure is logged (WARN for
 * what the caller can fix, ERROR for the rest) with the channel and, where there is one, the thread.
 */
export function withCallLogging(handlers: Handlers, log: Logger): Handlers {
  const out: Record<string, unknown> = {};
  for (const [channel, fn] of Object.entries(handlers) as [Channel, (i: unknown, c: unknown) => unknown][]) {
    const mutation = MUTATIONS.has(channel);
    out[channel] = async (input: unknown, ctx: unknown) => {
      const threadId = threadOf(channel, input);
      try {
        const value = await fn(input, ctx);
        if (mutation) log.info(`${channel} done`, { threadId });
        return value;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        const expected = typeof code === 'string' && code !== 'INTERNAL';
        // An expected failure of a logs read is not logged: a live tail would feed on its own rows.
        if (!(expected && channel.startsWith('logs:')))
          (expected ? log.warn : log.error)(`${channel} failed: ${(err as Error).message}`, { threadId });
        throw err;
      }
    };
  }
  return out as Handlers;
}
