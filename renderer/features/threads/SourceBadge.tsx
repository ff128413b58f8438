import type { Thread } from '../../../preload/contract/index.ts';
import { parseThreadSource, sourceBadgeText } from './thread-source.ts';

type BadgeThread = Pick<Thread, 'source' | 'agentNickname' | 'agentRole'> & { originator?: string | null };

export function SourceBadge({ thread }: { thread: BadgeThread }) {
  const info = parseThreadSource(thread);
  const via = thread.originator ? ` (${thread.originator})` : '';
  return (
    <span
      className={`badge badge--${info.kind}`}
      title={`Source: ${thread.source}${via}`}
      data-testid="source-badge"
    >
      {sourceBadgeText(info)}
    </span>
  );
}
