import type { ReactNode } from 'react';
import type { Thread, TranscriptOutline } from '../../../preload/contract/index.ts';
import { useThreadRelatives } from '../../api/use-transcript.ts';
import { SourceBadge } from '../threads/SourceBadge.tsx';
import {
  exactTime,
  formatNumber,
  relativeTime,
  sandboxLabel,
  threadTitle,
} from '../threads/thread-format.ts';
import { useNow } from '../threads/use-now.ts';
import { ThreadMemorySection } from '../memories/ThreadMemorySection.tsx';
import { GitMetadataEditor } from '../thread-actions/GitMetadataEditor.tsx';
import { ThreadActions } from '../thread-actions/ThreadActions.tsx';
import { LineageTree } from './LineageTree.tsx';
import { tokenTitle } from './transcript-format.ts';

function Field({
  label,
  children,
  mono,
  title,
}: {
  label: string;
  children: ReactNode;
  mono?: boolean;
  title?: string;
}) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div className="side__field">
      <dt>{label}</dt>
      <dd className={mono && !empty ? 'mono' : undefined} title={title}>
        {empty ? <span className="side__muted">—</span> : children}
      </dd>
    </div>
  );
}

function When({ epoch }: { epoch: number | null }) {
  const now = useNow();
  if (epoch === null) return null;
  return <span title={exactTime(epoch)}>{relativeTime(epoch, now)}</span>;
}

function ThreadLink({ thread, id }: { thread: Thread | null | undefined; id: string }) {
  return (
    <a href={`#/thread/${id}`} className="side__link" title={id} data-testid="relative-link">
      {thread ? threadTitle(thread) : id}
    </a>
  );
}

/** Everything known about the thread, its family and its actions (archive, export, git metadata). */
export function SidePanel({ thread, outline }: { thread: Thread; outline: TranscriptOutline | undefined }) {
  const relatives = useThreadRelatives(thread.id);
  const parentId = thread.parentThreadId ?? thread.forkedFromId;
  const children = relatives.data?.children ?? [];
  const tokens = outline?.totalTokens;
  return (
    <aside className="side" aria-label="Thread details" data-testid="thread-side">
      <div className="side__actions">
        <ThreadActions thread={thread} />
      </div>
      <section className="side__section">
        <h3 className="side__heading">Thread</h3>
        <dl className="side__fields">
          <Field label="ID" mono>
            {thread.id}
          </Field>
          <Field label="Source">
            <SourceBadge thread={thread} />
          </Field>
          <Field label="Created">
            <When epoch={thread.createdAt} />
          </Field>
          <Field label="Updated">
            <When epoch={thread.updatedAt} />
          </Field>
          <Field label="Archived">
            {thread.archived ? thread.archivedAt ? <When epoch={thread.archivedAt} /> : 'Yes' : 'No'}
          </Field>
          <Field label="Tokens" title={tokens ? tokenTitle(tokens) : undefined}>
            {formatNumber(tokens?.total ?? thread.tokensUsed)}
          </Field>
          {outline && (
            <Field label="Contents">
              {outline.turns.length === 1 ? '1 turn' : `${outline.turns.length} turns`} ·{' '}
              {formatNumber(outline.counts.toolCalls)} tool calls
              {outline.counts.compactions > 0 && ` · ${outline.counts.compactions} compactions`}
            </Field>
          )}
        </dl>
      </section>
      <section className="side__section">
        <h3 className="side__heading">Family</h3>
        <dl className="side__fields">
          <Field label={thread.parentThreadId ? 'Parent' : 'Forked from'}>
            {parentId ? <ThreadLink id={parentId} thread={relatives.data?.parent} /> : null}
          </Field>
          <Field label="Sub-agents">
            {children.length > 0 ? (
              <ul className="side__list">
                {children.map((c) => (
                  <li key={c.id}>
                    <ThreadLink id={c.id} thread={c} />
                  </li>
                ))}
              </ul>
            ) : null}
          </Field>
        </dl>
        <h4 className="side__subheading">Lineage</h4>
        <LineageTree thread={thread} />
      </section>
      <section className="side__section">
        <h3 className="side__heading">Project</h3>
        <dl className="side__fields">
          <Field label="Directory" mono>
            {thread.cwd}
          </Field>
        </dl>
        <div className="side__git">
          <GitMetadataEditor thread={thread} />
        </div>
      </section>
      <section className="side__section">
        <h3 className="side__heading">Model & session</h3>
        <dl className="side__fields">
          <Field label="Model">{thread.model}</Field>
          <Field label="Effort">{thread.reasoningEffort}</Field>
          <Field label="Provider">{thread.modelProvider}</Field>
          <Field label="Agent">{[thread.agentNickname, thread.agentRole].filter(Boolean).join(' · ')}</Field>
          <Field label="CLI version" mono>
            {thread.cliVersion}
          </Field>
          <Field label="Originator">{thread.originator}</Field>
          <Field label="Sandbox" title={thread.sandboxPolicy}>
            {sandboxLabel(thread.sandboxPolicy)}
          </Field>
          <Field label="Approvals">{thread.approvalMode}</Field>
          <Field label="Rollout" mono>
            {thread.rolloutPath}
          </Field>
        </dl>
      </section>
      <ThreadMemorySection threadId={thread.id} />
    </aside>
  );
}
