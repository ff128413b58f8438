import type { Thread, TranscriptOutline } from '../../../preload/contract/index.ts';
import { SourceBadge } from '../threads/SourceBadge.tsx';
import {
  compactNumber,
  exactTime,
  projectName,
  relativeTime,
  threadTitle,
} from '../threads/thread-format.ts';
import { useNow } from '../threads/use-now.ts';
import { tokenTitle } from './transcript-format.ts';

interface HeaderProps {
  thread: Thread | undefined;
  outline: TranscriptOutline | undefined;
  showHidden: boolean;
  sideOpen: boolean;
  onFind: () => void;
  onToggleHidden: () => void;
  onToggleSide: () => void;
}

export function ThreadHeader({
  thread,
  outline,
  showHidden,
  sideOpen,
  onFind,
  onToggleHidden,
  onToggleSide,
}: HeaderProps) {
  const now = useNow();
  const tokens = outline?.totalTokens?.total ?? thread?.tokensUsed ?? 0;
  return (
    <header className="thread-header">
      <a
        className="thread-header__back"
        href="#/threads"
        title="Back to threads (Esc)"
        aria-label="Back to threads"
      >
        ‹
      </a>
      <div className="thread-header__main">
        <div className="thread-header__eyebrow">
          {thread?.cwd && (
            <span className="mono" title={thread.cwd}>
              {projectName(thread.cwd)}
            </span>
          )}
          {thread && <SourceBadge thread={thread} />}
          {thread?.model && <span>{thread.model}</span>}
          {thread && (
            <span title={exactTime(thread.updatedAt)}>updated {relativeTime(thread.updatedAt, now)}</span>
          )}
          {tokens > 0 && (
            <span
              title={outline?.totalTokens ? tokenTitle(outline.totalTokens) : undefined}
              data-testid="thread-tokens"
            >
              {compactNumber(tokens)} tokens
            </span>
          )}
          {outline && <span>{outline.turns.length === 1 ? '1 turn' : `${outline.turns.length} turns`}</span>}
          {thread?.archived && <span className="badge badge--other">archived</span>}
        </div>
        <h1
          className="thread-header__title"
          data-testid="thread-title"
          title={thread ? threadTitle(thread) : undefined}
        >
          {thread ? threadTitle(thread) : ' '}
        </h1>
      </div>
      <div className="thread-header__actions">
        <button
          type="button"
          className="toggle"
          onClick={onFind}
          title="Find in thread (Ctrl+F)"
          data-testid="find-button"
        >
          Find <kbd>Ctrl F</kbd>
        </button>
        <button
          type="button"
          className={`toggle${showHidden ? ' is-on' : ''}`}
          onClick={onToggleHidden}
          aria-pressed={showHidden}
          title="Also show bookkeeping lines: token counts, turn contexts, duplicates"
        >
          All lines
        </button>
        <button
          type="button"
          className={`toggle${sideOpen ? ' is-on' : ''}`}
          onClick={onToggleSide}
          aria-pressed={sideOpen}
          title="Show details"
        >
          Details
        </button>
      </div>
    </header>
  );
}
