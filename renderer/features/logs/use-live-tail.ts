import { useCallback, useEffect, useRef, useState } from 'react';
import type { LogFilter, LogRecord, LogSource } from '../../../preload/contract/index.ts';
import { fetchLogStatus, fetchLogTail, onLogsAppended } from '../../api/use-logs.ts';
import { mergeTail, pendingCount } from './log-rows.ts';

/** Rows per `logs:tail` call. */
const TAIL_LIMIT = 500;
/** Beyond this many unseen rows (a long pause), re-reading the first page beats tailing them all. */
export const MAX_BACKLOG = 5_000;
/** Live rows kept before the page starts again from a fresh first page. */
const MAX_LIVE_ROWS = 10_000;
const NO_ROWS: LogRecord[] = [];

interface LiveTailOptions {
  source: LogSource;
  filter: LogFilter;
  /** The first page's `startMaxId`, null while there is no settled result for these filters. */
  startMaxId: number | null;
  /** Changes whenever a new first page arrives (its identity): the tail then starts over from it. */
  epoch: unknown;
  /** Live is on and the table is at its top: new rows are fetched and shown. */
  following: boolean;
  /** Too far behind to tail (or the source was replaced): re-read the first page. */
  onRestart: () => void;
  /** A `logs:appended` event for this source (the page refreshes its histogram, throttled). */
  onAppended: () => void;
}

export interface LiveTail {
  /** Rows tailed since the first page was read, newest first. */
  rows: LogRecord[];
  /** Rows written to the source that the tail has not fetched (filters may hide some of them). */
  pending: number;
  error: unknown;
}

/**
 * The live tail. Each `logs:appended` event (only a new max id) asks for `logs:tail` from the last id
 * seen, again at once while the answer says `more`. Never more than one request in flight: events that
 * arrive meanwhile just mark it dirty, so a slow renderer pulls at its own pace instead of queueing.
 * While not following (paused, or scrolled down) it only counts.
 */
export function useLiveTail(options: LiveTailOptions): LiveTail {
  const { source, startMaxId, epoch, following } = options;
  // Rows and errors are tagged with the epoch they belong to: a new first page shows none of the old.
  const [live, setLive] = useState<{ epoch: unknown; rows: LogRecord[] }>({ epoch: null, rows: [] });
  const [failure, setFailure] = useState<{ epoch: unknown; error: unknown }>({ epoch: null, error: null });
  const [marks, setMarks] = useState({ latest: 0, cursor: 0 });

  const latest = useRef(new Map<LogSource, number>());
  const state = useRef({ cursor: 0, ready: false, inFlight: false, dirty: false, gen: 0 });
  const opts = useRef(options);
  useEffect(() => {
    opts.current = options;
  });

  const syncMarks = useCallback(() => {
    const s = state.current;
    const top = latest.current.get(opts.current.source) ?? 0;
    setMarks((m) => (m.latest === top && m.cursor === s.cursor ? m : { latest: top, cursor: s.cursor }));
  }, []);

  const pump = useCallback(async (): Promise<void> => {
    const s = state.current;
    const o = opts.current;
    if (!s.ready || !o.following) return;
    if (s.inFlight) {
      s.dirty = true;
      return;
    }
    const top = latest.current.get(o.source) ?? 0;
    if (top <= s.cursor) return;
    if (top - s.cursor > MAX_BACKLOG) {
      s.ready = false;
      o.onRestart();
      return;
    }
    s.inFlight = true;
    s.dirty = false;
    const gen = s.gen;
    const epoch = o.epoch;
    try {
      for (;;) {
        const page = await fetchLogTail({
          source: o.source,
          filter: o.filter,
          afterId: s.cursor,
          limit: TAIL_LIMIT,
        });
        if (gen !== s.gen) return;
        s.cursor = Math.max(s.cursor, page.lastId);
        if (page.rows.length > 0)
          setLive((prev) => ({ epoch, rows: mergeTail(prev.epoch === epoch ? prev.rows : [], page.rows) }));
        if (!page.more || !opts.current.following) break;
      }
      setFailure((f) => (f.error === null ? f : { epoch, error: null }));
    } catch (err) {
      if (gen === s.gen) setFailure({ epoch, error: err });
    } finally {
      s.inFlight = false;
      syncMarks();
      // An event (or a restart) came in while this ran: go again for it.
      if (s.dirty) {
        s.dirty = false;
        void pump();
      }
    }
  }, [syncMarks]);

  // A new first page: everything up to its start id is in the pages, the tail continues from there.
  useEffect(() => {
    const s = state.current;
    s.gen += 1;
    if (startMaxId === null) {
      s.ready = false;
      return;
    }
    s.ready = true;
    s.cursor = startMaxId;
    const known = latest.current.get(source) ?? 0;
    latest.current.set(source, Math.max(known, startMaxId));
    syncMarks();
    if (s.inFlight) s.dirty = true;
    else void pump();
  }, [epoch, startMaxId, source, pump, syncMarks]);

  useEffect(
    () =>
      onLogsAppended(({ source: from, maxId }) => {
        const known = latest.current.get(from) ?? 0;
        const s = state.current;
        const o = opts.current;
        if (from !== o.source) {
          latest.current.set(from, Math.max(known, maxId));
          return;
        }
        if (s.ready && maxId < s.cursor) {
          // Lower than what was read: an event sent before the first page was read, or the DB was
          // replaced (Codex recreated it, ids start over). Only the source's status can tell.
          const gen = s.gen;
          void fetchLogStatus(from).then(
            (status) => {
              if (gen !== s.gen || status.maxId >= s.cursor) return;
              latest.current.set(from, status.maxId);
              s.ready = false;
              opts.current.onRestart();
            },
            () => {},
          );
          return;
        }
        latest.current.set(from, Math.max(known, maxId));
        syncMarks();
        o.onAppended();
        void pump();
      }),
    [pump, syncMarks],
  );

  // Following again (resumed, or back at the top): catch up.
  useEffect(() => {
    if (following) void pump();
  }, [following, pump]);

  // Too many live rows held: start over from a fresh first page (the rows above stay the newest).
  const rows = live.epoch === epoch ? live.rows : NO_ROWS;
  useEffect(() => {
    if (rows.length > MAX_LIVE_ROWS && state.current.ready) {
      state.current.ready = false;
      opts.current.onRestart();
    }
  }, [rows.length]);

  return {
    rows,
    pending: pendingCount(marks.latest, marks.cursor),
    error: failure.epoch === epoch ? failure.error : null,
  };
}
