import type { KeyboardEvent, Ref } from 'react';
import type { LogSource, LogSourceStatus } from '../../../preload/contract/index.ts';
import { SearchIcon } from '../../components/icons.tsx';
import { formatNumber } from '../threads/thread-format.ts';

interface LogsToolbarProps {
  source: LogSource | null;
  statuses: readonly LogSourceStatus[] | undefined;
  onSource: (source: LogSource) => void;
  countLabel: string;
  textRef: Ref<HTMLInputElement>;
  text: string;
  onText: (value: string) => void;
  /** Arrow down / Enter / Escape on an empty box: focus the table. */
  onLeaveText: () => void;
  live: boolean;
  onLive: (live: boolean) => void;
  /** Rows written since the tail stopped following (paused): shown on the toggle. */
  pending: number;
  pendingIsUpperBound: boolean;
}

const SOURCES: { value: LogSource; label: string; title: string }[] = [
  { value: 'app', label: 'Threadscope', title: "Threadscope's own logs" },
  { value: 'codex', label: 'Codex', title: "Codex's logs database (read-only)" },
];

/** Title and count, the source switch, the message filter and the Live toggle. */
export function LogsToolbar(props: LogsToolbarProps) {
  const { source, statuses, onSource, countLabel, textRef, text, onText, onLeaveText } = props;
  const { live, onLive, pending, pendingIsUpperBound } = props;
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Escape') {
      if (text) onText('');
      else onLeaveText();
      e.preventDefault();
    } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
      onLeaveText();
      e.preventDefault();
    }
  };
  const pendingText = `${pendingIsUpperBound ? '≤ ' : ''}${formatNumber(pending)} new`;

  return (
    <header className="toolbar logs-toolbar">
      <div className="toolbar__title">
        <h1>Logs</h1>
        <span className="toolbar__count" data-testid="logs-count">
          {countLabel}
        </span>
      </div>
      <div
        className="segmented segmented--scope"
        role="group"
        aria-label="Log source"
        data-testid="logs-source"
      >
        {SOURCES.map((s) => {
          const status = statuses?.find((x) => x.source === s.value);
          const missing = status !== undefined && !status.available;
          return (
            <button
              key={s.value}
              type="button"
              className={`segmented__item${source === s.value ? ' is-on' : ''}${missing ? ' is-missing' : ''}`}
              aria-pressed={source === s.value}
              onClick={() => onSource(s.value)}
              title={missing ? `${s.title}: ${status.notice ?? 'not found'} (${status.path})` : s.title}
              data-testid={`logs-source-${s.value}`}
            >
              {s.label}
              {missing && <span className="logs-source__missing"> · not found</span>}
            </button>
          );
        })}
      </div>
      <div className="search logs-search">
        <SearchIcon className="search__icon" />
        <input
          ref={textRef}
          className="search__input"
          type="search"
          placeholder="Filter messages"
          aria-label="Filter by message text"
          value={text}
          onChange={(e) => onText(e.target.value)}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoComplete="off"
          data-testid="logs-text"
        />
        {!text && <kbd className="search__hint">/</kbd>}
      </div>
      <button
        type="button"
        className={`toggle logs-live${live ? ' is-on' : ''}`}
        aria-pressed={live}
        onClick={() => onLive(!live)}
        title={
          live ? 'Showing new rows as they arrive: click to pause' : 'Paused: click to resume the live tail'
        }
        data-testid="logs-live"
      >
        <span className={`logs-live__dot${live ? ' is-live' : ''}`} aria-hidden="true" />
        <span>{live ? 'Live' : 'Paused'}</span>
        {!live && pending > 0 && (
          <span className="logs-live__count" data-testid="logs-live-pending">
            {pendingText}
          </span>
        )}
      </button>
    </header>
  );
}
