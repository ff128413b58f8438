import { Fragment, useCallback, useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { SearchProgress, SearchThread } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useContentSearch, useSearchStatus } from '../../api/use-search.ts';
import { SourceBadge } from '../threads/SourceBadge.tsx';
import { exactTime, formatNumber, projectName, relativeTime } from '../threads/thread-format.ts';
import { useNow } from '../threads/use-now.ts';
import { hitLabel, snippetSegments } from './snippet.ts';

export interface SearchResultsProps {
  query: string;
  /** Open a thread, at a transcript position (a hit) or at its start (the thread's header). */
  onOpen(threadId: string, position: number | null): void;
}

/** Moves focus between results with the arrow keys (and Home/End); Enter/Space activate the button. */
function onListKeyDown(e: KeyboardEvent<HTMLElement>): void {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(e.key)) return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-search-item]')];
  if (items.length === 0) return;
  e.preventDefault();
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next =
    e.key === 'Home'
      ? 0
      : e.key === 'End'
        ? items.length - 1
        : Math.min(items.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
  items[at === -1 && e.key === 'ArrowUp' ? 0 : next]?.focus();
}

/**
 * Content search results for the Threads page's "Content" scope: threads whose messages, reasoning or
 * tool calls match, newest first, each with up to three highlighted snippets that open the transcript
 * at the match. Shows how much of CODEX_HOME is indexed while the index builds.
 */
export function SearchResults({ query, onOpen }: SearchResultsProps) {
  const search = useContentSearch(query);
  const status = useSearchStatus();
  const pages = search.data?.pages ?? [];
  const threads = pages.flatMap((p) => p.threads);
  const coverage = status.data ?? pages.at(-1)?.coverage;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = search;
  const more = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  let body;
  if (query.trim() === '') {
    body = <SearchHelp title="Search what was said" />;
  } else if (search.isError && threads.length === 0) {
    body = (
      <div className="state state--error" role="alert">
        <h2 className="state__title">Search failed</h2>
        <p className="state__message">{errorMessage(search.error)}</p>
        <button type="button" className="button" onClick={() => void search.refetch()}>
          Try again
        </button>
      </div>
    );
  } else if (search.isPending || (search.settling && threads.length === 0)) {
    body = <ResultsLoading />;
  } else if (pages[0]?.notice) {
    body = <SearchHelp title={pages[0].notice} />;
  } else if (threads.length === 0) {
    body = <NoMatches query={search.debouncedQuery} coverage={coverage} />;
  } else {
    body = (
      <ResultList
        threads={threads}
        onOpen={onOpen}
        hasMore={hasNextPage}
        loadingMore={isFetchingNextPage}
        onMore={more}
      />
    );
  }
  const count =
    threads.length > 0
      ? `${formatNumber(threads.length)}${hasNextPage ? '+' : ''} ${threads.length === 1 && !hasNextPage ? 'thread' : 'threads'}`
      : '';
  return (
    <section
      className="search-results"
      aria-label="Content search results"
      data-testid="search-results"
      aria-busy={search.isFetching}
    >
      <div className="search-results__bar">
        <span className="search-results__count">{count}</span>
        {coverage && <CoverageLine coverage={coverage} />}
      </div>
      {body}
    </section>
  );
}

function CoverageLine({ coverage }: { coverage: SearchProgress }) {
  const building = coverage.state === 'building' || coverage.filesDone < coverage.filesTotal;
  const total = Math.max(coverage.filesTotal, coverage.filesDone);
  if (!building) {
    return <span className="search-coverage">{formatNumber(total)} threads indexed</span>;
  }
  const fraction =
    coverage.bytesTotal > 0
      ? coverage.bytesDone / coverage.bytesTotal
      : total > 0
        ? coverage.filesDone / total
        : 0;
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <span
      className="search-coverage is-building"
      role="status"
      aria-live="polite"
      data-testid="search-coverage"
    >
      <span>
        Indexed {formatNumber(coverage.filesDone)} / {formatNumber(total)} threads…
      </span>
      <span
        className="search-coverage__track"
        role="progressbar"
        aria-label="Content index coverage"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <span className="search-coverage__bar" style={{ width: `${percent}%` }} />
      </span>
    </span>
  );
}

interface ResultListProps {
  threads: SearchThread[];
  onOpen: SearchResultsProps['onOpen'];
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
}

function ResultList({ threads, onOpen, hasMore, loadingMore, onMore }: ResultListProps) {
  const now = useNow();
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loadingMore) onMore();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasMore, loadingMore, onMore]);
  return (
    <div className="search-results__scroll">
      <ul className="search-list" onKeyDown={onListKeyDown} aria-label="Matching threads">
        {threads.map((t) => (
          <li key={t.id} className="search-thread" data-testid="search-thread" data-thread-id={t.id}>
            <button
              type="button"
              className="search-thread__head"
              data-search-item
              onClick={() => onOpen(t.id, null)}
            >
              <span className={`search-thread__title${t.title.trim() ? '' : ' is-untitled'}`}>
                {t.title.trim().replace(/\s+/g, ' ') || '(untitled)'}
              </span>
              <span className="search-thread__time" title={exactTime(t.updatedAt)}>
                {relativeTime(t.updatedAt, now)}
              </span>
            </button>
            <div className="search-thread__meta">
              <SourceBadge thread={{ source: t.source, agentNickname: null, agentRole: null }} />
              <span className="search-thread__project" title={t.cwd}>
                {projectName(t.cwd)}
              </span>
              {t.model && <span className="search-thread__model">{t.model}</span>}
              {t.archived && <span className="search-thread__archived">archived</span>}
            </div>
            <ul className="search-hits">
              {t.hits.map((h) => (
                <li key={h.position}>
                  <button
                    type="button"
                    className="search-hit"
                    data-search-item
                    data-testid="search-hit"
                    data-position={h.position}
                    onClick={() => onOpen(t.id, h.position)}
                    title={`Open at this ${hitLabel(h.kind, h.toolName).toLowerCase()}`}
                  >
                    <span className={`search-hit__kind search-hit__kind--${h.kind}`}>
                      {hitLabel(h.kind, h.toolName)}
                    </span>
                    <span className="search-hit__text">
                      {snippetSegments(h.snippet).map((s, i) =>
                        s.mark ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
                      )}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {hasMore && (
        <div ref={sentinel} className="search-results__more">
          <button type="button" className="button" onClick={onMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'More results'}
          </button>
        </div>
      )}
    </div>
  );
}

function ResultsLoading() {
  return (
    <div className="state state--loading" aria-label="Searching">
      {[0, 1, 2, 3, 4].map((i) => (
        <div key={i} className="skeleton-row">
          <div className="skeleton" style={{ width: `${60 - i * 6}%` }} />
          <div className="skeleton skeleton--meta" />
        </div>
      ))}
    </div>
  );
}

function NoMatches({ query, coverage }: { query: string; coverage: SearchProgress | undefined }) {
  const partial = coverage && (coverage.state === 'building' || coverage.filesDone < coverage.filesTotal);
  return (
    <SearchHelp title={`No messages match “${query.trim()}”`}>
      {partial && <p>The index is still being built: more threads become searchable as it catches up.</p>}
    </SearchHelp>
  );
}

const SYNTAX: [example: string, meaning: string][] = [
  ['flaky parser', 'all of the words; the last one also as a prefix while you type'],
  ['"cache miss"', 'this exact phrase'],
  ['-vendor', 'without this word'],
  ['cwd:api', 'threads whose folder contains “api” (also project:)'],
  ['model:gpt-5', 'threads that used a model'],
  ['source:exec', 'threads from cli, exec, vscode or subagent'],
  ['tool:apply_patch', 'only that tool’s calls and output'],
];

function SearchHelp({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state search-help" data-testid="search-help">
      <h2 className="state__title">{title}</h2>
      {children}
      <p>Searches what you asked, the answers, reasoning summaries and tool commands and output.</p>
      <dl className="search-help__syntax">
        {SYNTAX.map(([example, meaning]) => (
          <Fragment key={example}>
            <dt>
              <code>{example}</code>
            </dt>
            <dd>{meaning}</dd>
          </Fragment>
        ))}
      </dl>
    </div>
  );
}
