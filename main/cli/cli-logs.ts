import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogRecord } from '../../preload/contract/logs.ts';
import { CodexLogs } from '../logs/codex-logs.ts';
import type { ResolvedLogFilter } from '../logs/log-filter-sql.ts';
import { LogReader } from '../logs/log-reader.ts';
import { readLogTableShape } from '../logs/log-table.ts';
import { logsDbFileName } from '../logs/logs-db.ts';
import { subagentExpander } from '../logs/subagent-ids.ts';
import { openDatabase, type Db } from '../state/connection.ts';
import { stateDbFileName } from '../state/state-db.ts';
import type { LogsCommand } from './cli-logs-args.ts';
import { formatLogLine, type LogLineStyle } from './cli-logs-format.ts';
import type { Writable } from './cli.ts';

export interface LogsRunOptions {
  /** Stops `--follow` (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
  /** For NO_COLOR (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Rows per tail call; a larger backlog is drained by calling again at once. */
const TAIL_BATCH = 500;

type SourceState =
  | { reader: LogReader; path: string; notice: string | null; key: string }
  | { reader: null; path: string; notice: string };

interface SourceHandle {
  refresh(): SourceState;
  close(): void;
}

const openReadOnly = (path: string): { db: Db; reader: LogReader } => {
  const db = openDatabase(path, { readonly: true });
  try {
    return { db, reader: new LogReader(db, readLogTableShape(db)) };
  } catch (err) {
    db.close();
    throw new Error(`${path}: ${(err as Error).message}`, { cause: err });
  }
};

/** Our own `logs_1.sqlite`, read-only (the app may be writing it); never created here. */
function appSource(dataDir: string): SourceHandle {
  const path = join(resolve(dataDir), logsDbFileName);
  if (!existsSync(path)) {
    throw new Error(
      `Threadscope's logs database ${path} does not exist yet. It is created when the app, ` +
        '`npm run serve` or `npm run cli -- ingest` first runs with this data dir (see --data-dir).',
    );
  }
  const { db, reader } = openReadOnly(path);
  return { refresh: () => ({ reader, path, notice: null, key: path }), close: () => db.close() };
}

/** Codex's logs DB, re-located on every refresh so one that appears, vanishes or is replaced is followed. */
function codexSource(codexHome: string): SourceHandle {
  const codex = new CodexLogs(resolve(codexHome));
  return {
    refresh() {
      const s = codex.refresh();
      if (!s.available) return { reader: null, path: s.path, notice: s.notice };
      let key = s.path;
      try {
        key = `${s.path}#${statSync(s.path).ino}`;
      } catch {
        // Vanished since refresh(): the next poll says so.
      }
      return { reader: s.reader, path: s.path, notice: s.notice, key };
    },
    close: () => codex.close(),
  };
}

/** `--subagents`: the state DB, read-only, expanded again on every poll (new sub-agents join). */
function subagentSource(dataDir: string): {
  expand: (ids: readonly string[]) => string[];
  close: () => void;
} {
  const path = join(resolve(dataDir), stateDbFileName);
  if (!existsSync(path)) {
    throw new Error(
      `--subagents needs Threadscope's state database ${path}, which does not exist yet: run ` +
        '`npm run cli -- ingest` with this data dir first.',
    );
  }
  const db = openDatabase(path, { readonly: true });
  try {
    return { expand: subagentExpander(db), close: () => db.close() };
  } catch (err) {
    db.close();
    throw new Error(`${path}: ${(err as Error).message}`, { cause: err });
  }
}

const maxId = (reader: LogReader): number =>
  reader.db.prepare('SELECT coalesce(max(id), 0) FROM logs').pluck().get() as number;

const nextTick = (): Promise<void> => new Promise((r) => setImmediate(r));

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) return done();
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish);
  });
}

/** An abort on SIGINT/SIGTERM (removed by dispose), unless the caller brings its own signal. */
function stopSignal(external: AbortSignal | undefined): {
  signal: AbortSignal;
  abort: () => void;
  dispose: () => void;
} {
  const own = new AbortController();
  const abort = (): void => own.abort();
  if (external) return { signal: AbortSignal.any([external, own.signal]), abort, dispose: () => {} };
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  return {
    signal: own.signal,
    abort,
    dispose: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}

/**
 * `logs`: the newest `limit` matching rows, oldest first; with `--follow`, then every row that arrives
 * (seed §4.7: tail by id from the last printed one, or the max id when nothing was printed) until
 * the signal fires. Returns the exit code; a missing DB or another failure throws (exit 1).
 */
export async function runLogs(
  cmd: LogsCommand,
  out: Writable,
  err: Writable,
  opts: LogsRunOptions = {},
): Promise<number> {
  const env = opts.env ?? process.env;
  const tty = out.isTTY === true && cmd.output !== 'json';
  const style: LogLineStyle = { output: cmd.output, color: tty && !env.NO_COLOR, escape: tty };
  const stop = stopSignal(opts.signal);
  const { signal } = stop;
  // A closed stdout (`| head`) ends the command quietly instead of crashing on EPIPE.
  const emitter = out as Partial<Pick<NodeJS.EventEmitter, 'on' | 'off'>>;
  let outBroken = false;
  const onOutError = (): void => {
    outBroken = true;
    stop.abort();
  };
  emitter.on?.('error', onOutError);
  const closers: (() => void)[] = [];
  try {
    const source = cmd.source === 'app' ? appSource(cmd.dataDir) : codexSource(cmd.codexHome);
    closers.push(() => source.close());
    const sub = cmd.subagents ? subagentSource(cmd.dataDir) : null;
    if (sub) closers.push(sub.close);
    const filter = (): ResolvedLogFilter => ({
      minLevel: cmd.minLevel,
      threadIds: sub ? sub.expand(cmd.threadIds) : cmd.threadIds.length > 0 ? cmd.threadIds : undefined,
      includeThreadless: cmd.threadless,
      process: cmd.process,
      target: cmd.target,
      text: cmd.text,
      fromMs: cmd.fromMs,
      toMs: cmd.toMs,
    });
    const print = (rows: readonly LogRecord[]): void => {
      if (rows.length === 0 || outBroken) return;
      out.write(rows.map((r) => `${formatLogLine(r, cmd.source, style)}\n`).join(''));
    };

    let lastId = 0;
    let key: string | null = null;
    /** Backfill: page newest-first until `limit` rows or the end, then print oldest first. */
    const backfill = async (s: Extract<SourceState, { reader: LogReader }>): Promise<void> => {
      key = s.key;
      lastId = maxId(s.reader);
      const rows: LogRecord[] = [];
      const f = filter();
      let cursor: string | null = null;
      while (cmd.limit > 0 && !signal.aborted) {
        const page = s.reader.page(f, cursor, cmd.limit - rows.length);
        rows.push(...page.rows);
        cursor = page.nextCursor;
        if (cursor === null || rows.length >= cmd.limit) break;
        await nextTick();
      }
      rows.reverse();
      print(rows);
      for (const r of rows) lastId = Math.max(lastId, r.id);
    };
    const drain = async (reader: LogReader): Promise<void> => {
      const f = filter();
      for (;;) {
        const t = reader.tail(f, lastId, TAIL_BATCH);
        print(t.rows);
        lastId = t.lastId;
        if (!t.more || signal.aborted) return;
        await nextTick();
      }
    };

    let state = source.refresh();
    if (!state.reader) {
      if (!cmd.follow) throw new Error(state.notice);
      err.write(`${state.notice}\nWaiting for it (Ctrl+C to stop).\n`);
    } else {
      if (state.notice) err.write(`${state.notice}\n`);
      await backfill(state);
    }
    if (!cmd.follow) return 0;

    let missing = !state.reader;
    let lastError: string | null = null;
    while (!signal.aborted) {
      await pause(cmd.pollMs, signal);
      if (signal.aborted) break;
      try {
        state = source.refresh();
        if (!state.reader) {
          if (!missing) err.write(`${state.notice}\nWaiting for it to come back (Ctrl+C to stop).\n`);
          missing = true;
          continue;
        }
        // Another file (new inode), or the same one reset (ids went back): start over on it.
        if (state.key !== key || maxId(state.reader) < lastId) {
          err.write(`Reading ${state.path}\n`);
          if (state.notice) err.write(`${state.notice}\n`);
          missing = false;
          await backfill(state);
          continue;
        }
        if (missing) err.write(`Reading ${state.path} again\n`);
        missing = false;
        await drain(state.reader);
        lastError = null;
      } catch (e) {
        const message = (e as Error).message;
        if (message !== lastError) err.write(`threadscope: ${message} (still following)\n`);
        lastError = message;
      }
    }
    return 0;
  } finally {
    for (const close of closers.reverse()) close();
    stop.dispose();
    // After an EPIPE more error events may still be queued: keep swallowing them.
    if (!outBroken) emitter.off?.('error', onOutError);
  }
}
