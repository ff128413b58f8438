import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LogSource } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { useLogHistogram, useLogRows, useLogSources, type LogRowsPage } from '../../api/use-logs.ts';
import { formatNumber } from '../threads/thread-format.ts';
import { LogHistogram } from './LogHistogram.tsx';
import { dateTime } from './log-format.ts';
import { combineRows } from './log-rows.ts';
import { clearLogFilters, hasLogFilters, logFilter } from './log-view.ts';
import { LogsFilterBar } from './LogsFilterBar.tsx';
import { CodexUnavailable, LogsEmpty, LogsError, LogsLoading } from './LogsStates.tsx';
import { LogsToolbar } from './LogsToolbar.tsx';
import { LogTable, type LogTableHandle } from './LogTable.tsx';
import { useLiveTail } from './use-live-tail.ts';
import { useLogsView, useUrlText } from './use-logs-view.ts';
import { useDelayedFlag, useThrottledCallback } from './use-timing.ts';

const TEXT_DEBOUNCE_MS = 250;
const HISTOGRAM_BUCKETS = 80;
/** While live, the histogram is refreshed at most this often. */
const HISTOGRAM_REFRESH_MS = 4_000;
/** Pages that stopped on the server's work budget are followed until at least this many rows show. */
const MIN_ROWS = 100;

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The Logs page: source switch, filters, a volume histogram and the live, virtualised table. */
export function LogsPage() {
  const [view, setView] = useLogsView();
  const queryClient = useQueryClient();
  const sources = useLogSources();
  const statuses = sources.data;
  const codexAvailable = statuses?.find((s) => s.source === 'codex')?.available ?? false;
  const source: LogSource | null = view.source ?? (statuses ? (codexAvailable ? 'codex' : 'app') : null);
  const status = statuses?.find((s) => s.source === source);
  // The default, once chosen, goes into the URL: Codex's DB appearing later must not swap the rows.
  useEffect(() => {
    if (view.source === null && source !== null) setView({ source });
  }, [view.source, source, setView]);
  const ready = source !== null && status?.available === true;

  const [text, setText] = useUrlText(view.q, (q) => setView({ q }), TEXT_DEBOUNCE_MS);
  const [target, setTarget] = useUrlText(view.target, (t) => setView({ target: t }), TEXT_DEBOUNCE_MS);
  const filter = useMemo(() => logFilter(view), [view]);
  const key = `${source}|${JSON.stringify(filter)}`;

  const rowsQuery = useLogRows(source ?? 'app', filter, ready);
  const histogram = useLogHistogram(source ?? 'app', filter, HISTOGRAM_BUCKETS, ready);
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage } = rowsQuery;
  const settled = data && !rowsQuery.isPlaceholderData ? data : undefined;
  const firstPage = settled?.pages[0];
  const lastPage = data?.pages.at(-1);

  const [live, setLive] = useState(true);
  const [atTop, setAtTop] = useState(true);
  const following = live && atTop && ready;

  // Start over from a fresh first page (keeping only it, so the refetch is one call).
  const restart = useCallback(() => {
    if (!source) return;
    const queryKey = queryKeys.logs.query(source, filter);
    queryClient.setQueryData<InfiniteData<LogRowsPage, string | null>>(queryKey, (old) =>
      old ? { pages: old.pages.slice(0, 1), pageParams: old.pageParams.slice(0, 1) } : old,
    );
    void queryClient.invalidateQueries({ queryKey, exact: true });
  }, [queryClient, source, filter]);
  const refreshHistogram = useThrottledCallback(() => {
    if (source) void queryClient.invalidateQueries({ queryKey: [...queryKeys.logs.histograms, source] });
  }, HISTOGRAM_REFRESH_MS);
  const tail = useLiveTail({
    source: source ?? 'app',
    filter,
    startMaxId: firstPage?.startMaxId ?? null,
    epoch: firstPage,
    following,
    onRestart: restart,
    onAppended: () => {
      if (live) refreshHistogram();
    },
  });

  const rows = useMemo(
    () => combineRows(settled ? tail.rows : [], data?.pages.map((p) => p.rows) ?? []),
    [settled, tail.rows, data],
  );

  // A page that stopped on the server's work budget: keep going until the screen has rows.
  const budgetStopped = hasNextPage && lastPage?.searchedBackToMs != null;
  useEffect(() => {
    if (!settled || !budgetStopped || isFetchingNextPage || rowsQuery.isError || rows.length >= MIN_ROWS)
      return;
    void fetchNextPage();
  }, [settled, budgetStopped, isFetchingNextPage, rowsQuery.isError, rows.length, fetchNextPage, lastPage]);

  const textRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<LogTableHandle>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target)) {
        e.preventDefault();
        textRef.current?.focus();
        textRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const filtered = hasLogFilters(view);
  const searchedBack = lastPage?.searchedBackToMs ?? null;
  const loaderText =
    budgetStopped && searchedBack !== null
      ? `Searched back to ${dateTime(searchedBack)}…`
      : 'Loading older rows…';
  const total = histogram.data && !histogram.isPlaceholderData ? histogram.data.total : null;
  const countLabel = !ready
    ? ''
    : total !== null
      ? `${formatNumber(Math.max(total, rows.length))} ${total === 1 ? 'row' : 'rows'}`
      : settled
        ? `${formatNumber(rows.length)}${hasNextPage ? '+' : ''} rows`
        : '';
  const busy = useDelayedFlag(
    (rowsQuery.isFetching && !isFetchingNextPage) || (histogram.isFetching && histogram.isPlaceholderData),
    300,
  );
  const slowStart = useDelayedFlag(source === null || rowsQuery.isPending, 300);
  const slowSearch = useDelayedFlag(budgetStopped && rows.length === 0, 300);
  const onFilterThread = useCallback((id: string) => setView({ threads: [id] }), [setView]);
  const onFilterProcess = useCallback((p: string) => setView({ process: p }), [setView]);

  let body;
  if (sources.isError) {
    body = <LogsError error={sources.error} onRetry={() => void sources.refetch()} />;
  } else if (!source || !status) {
    body = slowStart ? <LogsLoading label="Opening the logs…" /> : null;
  } else if (!status.available) {
    body =
      source === 'codex' ? (
        <CodexUnavailable status={status} onShowApp={() => setView({ source: 'app' })} />
      ) : (
        <LogsError
          error={new Error(status.notice ?? 'Threadscope’s logs database is unavailable.')}
          onRetry={() => void sources.refetch()}
        />
      );
  } else if (rowsQuery.isPending) {
    body = slowStart ? <LogsLoading label="Loading rows…" /> : null;
  } else if (rowsQuery.isError && rows.length === 0) {
    body = <LogsError error={rowsQuery.error} onRetry={() => void rowsQuery.refetch()} />;
  } else if (rows.length === 0 && budgetStopped) {
    body = slowSearch ? <LogsLoading label={loaderText} /> : null;
  } else if (rows.length === 0) {
    body = <LogsEmpty status={status} filtered={filtered} onClearFilters={() => setView(clearLogFilters)} />;
  } else {
    body = (
      <LogTable
        ref={tableRef}
        rows={rows}
        hasNextPage={hasNextPage}
        isFetchingNextPage={isFetchingNextPage}
        fetchNextPage={() => void fetchNextPage()}
        loaderText={loaderText}
        resetKey={key}
        onAtTop={setAtTop}
        onEscape={() => textRef.current?.focus()}
        onFilterThread={onFilterThread}
        onFilterProcess={onFilterProcess}
      />
    );
  }

  const showNew = live && !atTop && tail.pending > 0 && rows.length > 0;
  return (
    <div className="logs-page" data-testid="logs-page" data-source={source ?? undefined}>
      <LogsToolbar
        source={source}
        statuses={statuses}
        onSource={(s) => setView({ source: s })}
        countLabel={countLabel}
        textRef={textRef}
        text={text}
        onText={setText}
        onLeaveText={() => tableRef.current?.focus()}
        live={live}
        onLive={setLive}
        pending={tail.pending}
        pendingIsUpperBound={filtered}
      />
      {status?.available !== false && (
        <LogsFilterBar
          view={view}
          onView={setView}
          target={target}
          onTarget={setTarget}
          currentProcess={source === 'app' ? (status?.currentProcess ?? null) : null}
        />
      )}
      <div className={`logs-progress${busy ? ' is-on' : ''}`} aria-hidden={!busy}>
        <div className="logs-progress__bar" />
      </div>
      {ready && status.notice && (
        <div className="banner banner--note" data-testid="logs-notice">
          {status.notice}
        </div>
      )}
      {tail.error !== null && (
        <div className="banner banner--error" role="alert" data-testid="logs-tail-error">
          Live tail stopped: {errorMessage(tail.error)}
        </div>
      )}
      {rowsQuery.isError && rows.length > 0 && (
        <div className="banner banner--error" role="alert">
          Could not load more rows: {errorMessage(rowsQuery.error)}
        </div>
      )}
      {ready && histogram.data && histogram.data.total > 0 && (
        <LogHistogram histogram={histogram.data} onRange={(fromMs, toMs) => setView({ fromMs, toMs })} />
      )}
      <div className={`logs-page__body${rowsQuery.isPlaceholderData ? ' is-stale' : ''}`}>
        {showNew && (
          <button
            type="button"
            className="logs-new"
            onClick={() => tableRef.current?.scrollToTop()}
            data-testid="logs-jump-newest"
          >
            {filtered ? 'Up to ' : ''}
            {formatNumber(tail.pending)} new {tail.pending === 1 ? 'row' : 'rows'} — jump to newest
          </button>
        )}
        {body}
      </div>
    </div>
  );
}
