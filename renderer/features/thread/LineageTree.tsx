import type { Thread } from '../../../preload/contract/index.ts';
import { useThreadRelatives } from '../../api/use-transcript.ts';
import { parseSource } from '../threads/thread-source.ts';
import { threadTitle } from '../threads/thread-format.ts';

/** Levels below the root whose children are fetched (root → parent → this → children → theirs). */
const DEPTH = 4;

function kindOf(thread: Thread): string {
  if (thread.forkedFromId && !thread.parentThreadId) return 'fork';
  const info = parseSource(thread.source, thread.agentNickname, thread.agentRole);
  return info.kind === 'subagent' ? (info.detail ?? 'sub-agent') : '';
}

function Node({ thread, currentId, depth }: { thread: Thread; currentId: string; depth: number }) {
  const relatives = useThreadRelatives(depth < DEPTH ? thread.id : null);
  const children = relatives.data?.children ?? [];
  const current = thread.id === currentId;
  const kind = kindOf(thread);
  return (
    <li className="lineage__node">
      <div className="lineage__row">
        {current ? (
          <span className="lineage__link is-current" aria-current="page" title={thread.id}>
            {threadTitle(thread)}
          </span>
        ) : (
          <a
            className="lineage__link"
            href={`#/thread/${thread.id}`}
            title={`${threadTitle(thread)}\n${thread.id}`}
            data-testid="lineage-link"
          >
            {threadTitle(thread)}
          </a>
        )}
        {kind && <span className="lineage__kind">{kind}</span>}
      </div>
      {children.length > 0 && (
        <ul className="lineage__children">
          {children.map((c) => (
            <Node key={c.id} thread={c} currentId={currentId} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * Forks and spawned agents around a thread: up to two ancestors, then children a few levels down.
 * Each level is one `threads:relatives` call, cached by TanStack Query.
 */
export function LineageTree({ thread }: { thread: Thread }) {
  const parentQuery = useThreadRelatives(thread.id);
  const parent = parentQuery.data?.parent ?? null;
  const grandQuery = useThreadRelatives(parent?.id ?? null);
  const grand = grandQuery.data?.parent ?? null;
  const root = grand ?? parent ?? thread;
  const hasFamily = parent !== null || (parentQuery.data?.children.length ?? 0) > 0;
  if (!hasFamily) return <p className="side__muted">No forks or sub-agents.</p>;
  return (
    <ul className="lineage" data-testid="lineage">
      <Node thread={root} currentId={thread.id} depth={0} />
    </ul>
  );
}
