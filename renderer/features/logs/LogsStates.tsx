import type { LogSourceStatus } from '../../../preload/contract/index.ts';
import { ApiError, errorMessage } from '../../api/client.ts';

/** Codex's logs DB is not there (or cannot be opened): say where it was looked for, and what to do. */
export function CodexUnavailable({ status, onShowApp }: { status: LogSourceStatus; onShowApp: () => void }) {
  return (
    <div className="state" data-testid="logs-unavailable">
      <h2 className="state__title">Codex logs database not found</h2>
      {status.notice && <p className="state__message">{status.notice}</p>}
      <p>
        Looked for{' '}
        <code className="mono" data-testid="logs-unavailable-path">
          {status.path}
        </code>
        . Codex looks in <code>CODEX_SQLITE_HOME</code> (or <code>sqlite_home</code> in its config) before{' '}
        <code>CODEX_HOME</code>. The file is opened read-only and shows up here as soon as it appears.
      </p>
      <div className="state__actions">
        <button type="button" className="button" onClick={onShowApp} data-testid="logs-show-app">
          Show Threadscope’s own logs
        </button>
      </div>
    </div>
  );
}

interface EmptyProps {
  status: LogSourceStatus | undefined;
  filtered: boolean;
  onClearFilters: () => void;
}

/** Zero rows: the filters exclude everything, or the source holds nothing yet. */
export function LogsEmpty({ status, filtered, onClearFilters }: EmptyProps) {
  if (filtered) {
    return (
      <div className="state" data-testid="logs-empty">
        <h2 className="state__title">No rows match these filters</h2>
        <p>Remove a filter above, widen the time range, or clear them all.</p>
        <div className="state__actions">
          <button type="button" className="button" onClick={onClearFilters} data-testid="logs-clear-filters">
            Clear filters
          </button>
        </div>
      </div>
    );
  }
  const app = status?.source === 'app';
  return (
    <div className="state" data-testid="logs-empty">
      <h2 className="state__title">No logs yet</h2>
      <p>
        {app
          ? 'Threadscope logs its own work here (scans, ingestion, the watcher). Rows appear as soon as it has something to say.'
          : 'Codex has not written any log rows yet. They appear here live while Codex runs.'}
      </p>
      {status && (
        <p>
          Reading <code className="mono">{status.path}</code>
        </p>
      )}
    </div>
  );
}

export function LogsError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="state state--error" role="alert" data-testid="logs-error">
      <h2 className="state__title">Could not load logs</h2>
      <p className="state__message">{errorMessage(error)}</p>
      {error instanceof ApiError && <p className="state__code mono">{error.code}</p>}
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

/** Skeleton rows, shown only once a wait passes 300 ms (the caller delays it). */
export function LogsLoading({ label }: { label: string }) {
  return (
    <div className="log-loading" aria-busy="true" aria-label={label} data-testid="logs-loading">
      <p className="log-loading__text">{label}</p>
      {Array.from({ length: 10 }, (_, i) => (
        <div className="log-loading__row" key={i}>
          <div className="skeleton" style={{ width: 96 }} />
          <div className="skeleton" style={{ width: 36 }} />
          <div className="skeleton" style={{ width: 120 }} />
          <div className="skeleton" style={{ width: `${35 + ((i * 23) % 45)}%` }} />
        </div>
      ))}
    </div>
  );
}
