import { memo } from 'react';
import type { Thread } from '../../../preload/contract/index.ts';
import { BranchIcon } from '../../components/icons.tsx';
import { SourceBadge } from './SourceBadge.tsx';
import {
  compactNumber,
  exactTime,
  formatNumber,
  projectName,
  relativeTime,
  threadTitle,
} from './thread-format.ts';

export const ROW_HEIGHT = 54;

interface ThreadRowProps {
  thread: Thread;
  selected: boolean;
  now: number;
  top: number;
  onSelect: (thread: Thread) => void;
  onOpen: (thread: Thread) => void;
}

export const ThreadRow = memo(function ThreadRow({
  thread,
  selected,
  now,
  top,
  onSelect,
  onOpen,
}: ThreadRowProps) {
  const title = threadTitle(thread);
  return (
    <div
      id={`thread-row-${thread.id}`}
      className={`thread-row${selected ? ' is-selected' : ''}`}
      role="option"
      aria-selected={selected}
      data-testid="thread-row"
      data-thread-id={thread.id}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={() => onSelect(thread)}
      onDoubleClick={() => onOpen(thread)}
    >
      <div className="thread-row__line">
        <span
          className={`thread-row__title${title === '(untitled)' ? ' is-untitled' : ''}`}
          data-testid="thread-title"
        >
          {title}
        </span>
        <time
          className="thread-row__time"
          dateTime={new Date(thread.updatedAt * 1000).toISOString()}
          title={`Updated ${exactTime(thread.updatedAt)}`}
        >
          {relativeTime(thread.updatedAt, now)}
        </time>
      </div>
      <div className="thread-row__line thread-row__meta">
        <span
          className="thread-row__project mono"
          title={thread.cwd || undefined}
          data-testid="thread-project"
        >
          {thread.cwd ? projectName(thread.cwd) : '—'}
        </span>
        <SourceBadge thread={thread} />
        {thread.model && <span className="thread-row__model">{thread.model}</span>}
        {thread.gitBranch && (
          <span className="thread-row__branch" title={`Git branch ${thread.gitBranch}`}>
            <BranchIcon width={12} height={12} />
            <span className="mono">{thread.gitBranch}</span>
          </span>
        )}
        <span className="thread-row__tokens" title={`${formatNumber(thread.tokensUsed)} tokens`}>
          {compactNumber(thread.tokensUsed)} tok
        </span>
      </div>
    </div>
  );
});
