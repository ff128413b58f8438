import { memo } from 'react';
import type { HeaderRow } from './group-threads.ts';
import { formatNumber } from './thread-format.ts';

export const HEADER_HEIGHT = 30;

interface GroupHeaderProps {
  header: HeaderRow;
  /** The current group's header: sticks to the top of the list instead of scrolling away. */
  sticky: boolean;
  top: number;
}

/** A group's header row inside the virtual list: name, full path on hover, thread count. */
export const GroupHeader = memo(function GroupHeader({ header, sticky, top }: GroupHeaderProps) {
  const count = `${formatNumber(header.count)}${header.partial ? '+' : ''}`;
  return (
    <div
      className={`group-header${sticky ? ' is-sticky' : ''}`}
      style={
        sticky ? { height: HEADER_HEIGHT } : { transform: `translateY(${top}px)`, height: HEADER_HEIGHT }
      }
      role="presentation"
      data-testid="group-header"
      data-group={header.key}
    >
      <span className="group-header__label" title={header.title} data-testid="group-label">
        {header.label}
      </span>
      {header.title && <span className="group-header__path mono">{header.title}</span>}
      <span
        className="group-header__count"
        title={header.partial ? `${count} threads loaded so far` : `${count} threads`}
        data-testid="group-count"
      >
        {count}
      </span>
    </div>
  );
});
