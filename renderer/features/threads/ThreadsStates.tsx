import type { AppInfo, IngestStatus } from '../../../preload/contract/index.ts';
import { ApiError, errorMessage } from '../../api/client.ts';
import { formatNumber } from './thread-format.ts';

interface EmptyProps {
  info: AppInfo | undefined;
  status: IngestStatus | undefined;
  searchTerm: string;
  archived: boolean;
  /** A filter (not the search) narrows the list. */
  filtered: boolean;
  onClearSearch: () => void;
  onClearFilters: () => void;
}

/** Zero rows: either the filters exclude everything, or CODEX_HOME holds nothing we could read. */
export function ThreadsEmpty(props: EmptyProps) {
  const { info, status, searchTerm, archived, filtered, onClearSearch, onClearFilters } = props;
  if (filtered) {
    return (
      <div className="state" data-testid="threads-empty">
        <h2 className="state__title">
          No {archived ? 'archived ' : ''}threads match these filters
          {searchTerm ? ` and “${searchTerm}”` : ''}
        </h2>
        <p>Remove a filter above, or clear them all to see every {archived ? 'archived ' : ''}thread.</p>
        <div className="state__actions">
          <button type="button" className="button" onClick={onClearFilters} data-testid="empty-clear-filters">
            Clear filters
          </button>
          {searchTerm && (
            <button type="button" className="button" onClick={onClearSearch}>
              Clear search
            </button>
          )}
        </div>
      </div>
    );
  }
  if (searchTerm) {
    return (
      <div className="state" data-testid="threads-empty">
        <h2 className="state__title">
          No {archived ? 'archived ' : ''}threads match “{searchTerm}”
        </h2>
        <p>Search matches thread titles and is case-sensitive.</p>
        <button type="button" className="button" onClick={onClearSearch}>
          Clear search
        </button>
      </div>
    );
  }
  if (archived) {
    return (
      <div className="state" data-testid="threads-empty">
        <h2 className="state__title">No archived threads</h2>
        <p>
          Threads archived in Codex are stored in <code>archived_sessions/</code> and show up here.
        </p>
      </div>
    );
  }
  const home = info?.codexHome ?? status?.codexHome ?? 'CODEX_HOME';
  const missing = status !== undefined && !status.codexHomeExists;
  return (
    <div className="state" data-testid="threads-empty">
      <h2 className="state__title">No threads yet</h2>
      <p>
        Scanned{' '}
        <code className="mono" data-testid="empty-codex-home">
          {home}
        </code>
        {missing ? ', which does not exist.' : ' and found no rollouts with a user message.'}
      </p>
      {status && status.problemCount > 0 && (
        <p>
          {status.problemCount === 1
            ? 'One rollout file'
            : `${formatNumber(status.problemCount)} rollout files`}{' '}
          could not be read.
        </p>
      )}
      <p>
        To read another folder, start Threadscope with <code>--codex-home DIR</code> or set the{' '}
        <code>CODEX_HOME</code> environment variable, then restart it. New threads appear here as Codex writes
        them.
      </p>
    </div>
  );
}

export function ThreadsError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="state state--error" role="alert" data-testid="threads-error">
      <h2 className="state__title">Could not load threads</h2>
      <p className="state__message">{errorMessage(error)}</p>
      {error instanceof ApiError && <p className="state__code mono">{error.code}</p>}
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

export function ThreadsLoading() {
  return (
    <div className="state state--loading" aria-busy="true" data-testid="threads-loading">
      {Array.from({ length: 8 }, (_, i) => (
        <div className="skeleton-row" key={i}>
          <div className="skeleton skeleton--title" style={{ width: `${55 + ((i * 17) % 35)}%` }} />
          <div className="skeleton skeleton--meta" />
        </div>
      ))}
    </div>
  );
}
