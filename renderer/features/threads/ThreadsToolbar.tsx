import type { KeyboardEvent, Ref } from 'react';
import type { SortKey } from '../../../preload/contract/index.ts';
import { ArchiveIcon, SearchIcon } from '../../components/icons.tsx';
import type { SearchScope } from './thread-filters.ts';

interface ThreadsToolbarProps {
  searchRef: Ref<HTMLInputElement>;
  search: string;
  onSearch: (value: string) => void;
  /** Titles: the instant title filter of the list; Content: full-text search over messages. */
  scope: SearchScope;
  onScope: (scope: SearchScope) => void;
  /** Arrow down / Escape hand focus back to the list. */
  onLeaveSearch: () => void;
  sortKey: SortKey;
  onSortKey: (key: SortKey) => void;
  archived: boolean;
  onArchived: (archived: boolean) => void;
  countLabel: string;
}

export function ThreadsToolbar(props: ThreadsToolbarProps) {
  const { searchRef, search, onSearch, onLeaveSearch, sortKey, onSortKey, archived, onArchived, countLabel } =
    props;
  const content = props.scope === 'content';

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Escape') {
      if (search) onSearch('');
      else onLeaveSearch();
      e.preventDefault();
    } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
      onLeaveSearch();
      e.preventDefault();
    }
  };

  return (
    <header className="toolbar">
      <div className="toolbar__title">
        <h1>{archived ? 'Archived threads' : 'Threads'}</h1>
        <span className="toolbar__count" data-testid="thread-count">
          {countLabel}
        </span>
      </div>
      <div className="search">
        <SearchIcon className="search__icon" />
        <input
          ref={searchRef}
          className="search__input"
          type="search"
          placeholder={content ? 'Search messages' : 'Search titles'}
          aria-label={content ? 'Search message content' : 'Search thread titles'}
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoComplete="off"
          data-testid="search-input"
        />
        {!search && <kbd className="search__hint">/</kbd>}
      </div>
      <div
        className="segmented segmented--scope"
        role="group"
        aria-label="Search in"
        data-testid="search-scope"
      >
        {(['titles', 'content'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={`segmented__item${props.scope === s ? ' is-on' : ''}`}
            aria-pressed={props.scope === s}
            onClick={() => props.onScope(s)}
            title={s === 'titles' ? 'Match thread titles as you type' : 'Search the text of every message'}
            data-testid={`scope-${s}`}
          >
            {s === 'titles' ? 'Titles' : 'Content'}
          </button>
        ))}
      </div>
      <label className="select" title="Sort by, newest first">
        <span className="visually-hidden">Sort by</span>
        <select
          value={sortKey}
          onChange={(e) => onSortKey(e.target.value as SortKey)}
          data-testid="sort-select"
        >
          <option value="updated_at">Updated</option>
          <option value="created_at">Created</option>
        </select>
      </label>
      <button
        type="button"
        className={`toggle${archived ? ' is-on' : ''}`}
        aria-pressed={archived}
        onClick={() => onArchived(!archived)}
        title={archived ? 'Showing archived threads' : 'Show archived threads'}
        data-testid="archived-toggle"
      >
        <ArchiveIcon />
        <span>Archived</span>
      </button>
    </header>
  );
}
