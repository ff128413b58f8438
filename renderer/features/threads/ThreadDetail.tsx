import { Fragment } from 'react';
import type { ReactNode, Ref } from 'react';
import type { Thread } from '../../../preload/contract/index.ts';
import { useFreshThread } from '../../api/use-thread-actions.ts';
import { GitMetadataEditor } from '../thread-actions/GitMetadataEditor.tsx';
import { ThreadActions } from '../thread-actions/ThreadActions.tsx';
import { OpenIcon } from './filter-icons.tsx';
import { SourceBadge } from './SourceBadge.tsx';
import {
  exactTime,
  formatNumber,
  projectName,
  relativeTime,
  sandboxLabel,
  threadTitle,
} from './thread-format.ts';
import { useNow } from './use-now.ts';

interface Field {
  label: string;
  value: ReactNode;
  /** Paths, ids, hashes: monospace and selectable as a whole. */
  mono?: boolean;
  title?: string;
}

function Missing() {
  return <span className="detail__missing">—</span>;
}

const orMissing = (v: string | number | null | undefined): ReactNode =>
  v === null || v === undefined || v === '' ? <Missing /> : v;

function Section({ title, fields }: { title: string; fields: Field[] }) {
  return (
    <section className="detail__section">
      <h3 className="detail__heading">{title}</h3>
      <dl className="detail__fields">
        {fields.map((f) => (
          <div className="detail__field" key={f.label}>
            <dt>{f.label}</dt>
            <dd className={f.mono ? 'mono' : undefined} title={f.title}>
              {f.value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function When({ epoch, now }: { epoch: number; now: number }) {
  const relative = relativeTime(epoch, now);
  return (
    <span title={exactTime(epoch)}>
      {dateTime.format(new Date(epoch * 1000))}
      {/* Older dates already read as dates; only recent ones gain from "3h ago". */}
      {/ago$|now$/.test(relative) && <span className="detail__muted"> · {relative}</span>}
    </span>
  );
}

interface ThreadDetailProps {
  ref?: Ref<HTMLElement>;
  thread: Thread | null;
  /** Opens the thread's own page (transcript). */
  onOpen?: (thread: Thread) => void;
}

/** Metadata of the selected thread; the full transcript view is a page of its own. */
export function ThreadDetail({ ref, thread: listed, onOpen }: ThreadDetailProps) {
  const now = useNow();
  // The stored row, not the list's copy: an archived thread leaves the list but stays selected.
  const thread = useFreshThread(listed);
  if (!thread) {
    return (
      <aside
        className="detail detail--empty"
        ref={ref}
        tabIndex={-1}
        aria-label="Thread details"
        data-testid="thread-detail"
      >
        <p>Select a thread to see its details.</p>
        <p className="detail__muted">
          <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>/</kbd> search
        </p>
      </aside>
    );
  }

  const sections: { title: string; fields: Field[] }[] = [
    {
      title: 'Thread',
      fields: [
        { label: 'ID', value: thread.id, mono: true },
        { label: 'Source', value: <SourceBadge thread={thread} /> },
        { label: 'Created', value: <When epoch={thread.createdAt} now={now} /> },
        { label: 'Updated', value: <When epoch={thread.updatedAt} now={now} /> },
        {
          label: 'Archived',
          value: thread.archived ? (
            thread.archivedAt ? (
              <When epoch={thread.archivedAt} now={now} />
            ) : (
              'Yes'
            )
          ) : (
            'No'
          ),
        },
        { label: 'Tokens used', value: formatNumber(thread.tokensUsed) },
      ],
    },
    {
      title: 'Project',
      fields: [{ label: 'Working directory', value: orMissing(thread.cwd), mono: true }],
    },
    {
      title: 'Model',
      fields: [
        { label: 'Provider', value: orMissing(thread.modelProvider) },
        { label: 'Model', value: orMissing(thread.model) },
        { label: 'Reasoning effort', value: orMissing(thread.reasoningEffort) },
      ],
    },
    {
      title: 'Agent',
      fields: [
        { label: 'Nickname', value: orMissing(thread.agentNickname) },
        { label: 'Role', value: orMissing(thread.agentRole) },
        { label: 'Depth', value: orMissing(thread.agentDepth) },
        { label: 'Parent thread', value: orMissing(thread.parentThreadId), mono: true },
        { label: 'Forked from', value: orMissing(thread.forkedFromId), mono: true },
      ],
    },
    {
      title: 'Session',
      fields: [
        { label: 'CLI version', value: orMissing(thread.cliVersion), mono: true },
        { label: 'Originator', value: orMissing(thread.originator) },
        {
          label: 'Sandbox',
          value: orMissing(sandboxLabel(thread.sandboxPolicy)),
          title: thread.sandboxPolicy,
        },
        { label: 'Approvals', value: orMissing(thread.approvalMode) },
        { label: 'Memory mode', value: orMissing(thread.memoryMode) },
        { label: 'Rollout file', value: thread.rolloutPath, mono: true },
      ],
    },
  ];

  return (
    <aside className="detail" ref={ref} tabIndex={-1} aria-label="Thread details" data-testid="thread-detail">
      <header className="detail__header">
        <div className="detail__eyebrow mono" title={thread.cwd}>
          {thread.cwd ? projectName(thread.cwd) : 'No project'}
        </div>
        <h2 className="detail__title" data-testid="detail-title">
          {threadTitle(thread)}
        </h2>
        {onOpen && (
          <button
            type="button"
            className="button button--primary detail__open"
            onClick={() => onOpen(thread)}
            title="Open the transcript (Enter in the list, or double-click a row)"
            data-testid="detail-open"
          >
            <OpenIcon />
            Open thread
          </button>
        )}
      </header>
      <ThreadActions thread={thread} />
      {sections.map((s) => (
        <Fragment key={s.title}>
          <Section title={s.title} fields={s.fields} />
          {s.title === 'Project' && <GitMetadataEditor key={thread.id} thread={thread} />}
        </Fragment>
      ))}
      <section className="detail__section">
        <h3 className="detail__heading">First message</h3>
        {thread.firstUserMessage ? (
          <pre className="detail__message">{thread.firstUserMessage}</pre>
        ) : (
          <p className="detail__muted">No user message recorded.</p>
        )}
        {thread.title && thread.title !== thread.firstUserMessage && (
          <p className="detail__muted">Title: {thread.title}</p>
        )}
      </section>
    </aside>
  );
}
