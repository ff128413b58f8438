import type { Thread } from '../../../preload/contract/index.ts';
import { parseSource, sourceBadgeText } from './thread-source.ts';

export function SourceBadge({ thread }: { thread: Pick<Thread, 'source' | 'agentNickname' | 'agentRole'> }) {
  const info = parseSource(thread.source, thread.agentNickname, thread.agentRole);
  return (
    <span
      className={`badge badge--${info.kind}`}
      title={`Source: ${thread.source}`}
      data-testid="source-badge"
    >
      {sourceBadgeText(info)}
    </span>
  );
}
