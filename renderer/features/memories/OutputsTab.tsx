import type { KeyboardEvent } from 'react';
import type { MemoriesStatus, Stage1OutputSummary } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useMemoryOutputs } from '../../api/use-memories.ts';
import { SplitPane } from '../../components/SplitPane.tsx';
import { useDelayedFlag } from '../logs/use-timing.ts';
import { exactTime, formatNumber } from '../threads/thread-format.ts';
import { relativeWhen } from './memories-format.ts';
import { OutputDetail } from './OutputDetail.tsx';

function Row({
  o,
  open,
  onOpen,
  now,
}: {
  o: Stage1OutputSummary;
  open: boolean;
  onOpen: () => void;
  now: number;
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>): void => {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next =
        e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
      if (next instanceof HTMLElement) next.focus();
    }
  };
  return (
    <tr
      className={open ? 'is-selected' : undefined}
      aria-selected={open}
      tabIndex={0}
      onClick={(e) => {
        if (e.target instanceof Element && e.target.closest('a')) return;
        onOpen();
      }}
      onKeyDown={onKeyDown}
      data-testid="memories-output-row"
      data-thread={o.threadId}
    >
      <td className="mem-table__title">
        <a href={`#/thread/${o.threadId}`} title={o.threadId} data-testid="memories-output-thread">
          {o.threadTitle?.trim() || o.threadId}
        </a>
      </td>
      <td className="mono mem-table__slug" title={o.summaryFile}>
        {o.rolloutSlug || <span className="fb-muted">—</span>}
      </td>
      <td title={exactTime(o.generatedAt)}>{relativeWhen(o.generatedAt, now)}</td>
      <td className="mem-table__num">{formatNumber(o.usageCount ?? 0)}</td>
      <td title={o.lastUsage !== null ? exactTime(o.lastUsage) : undefined}>
        {o.lastUsage !== null ? relativeWhen(o.lastUsage, now) : <span className="fb-muted">never</span>}
      </td>
      <td>
        {o.selectedForPhase2 ? (
          <span className="mem-badge mem-badge--ok" title="In the last successful consolidation">
            selected
          </span>
        ) : (
          <span className="mem-badge mem-badge--muted" title="Not in the last successful consolidation">
            not selected
          </span>
        )}
      </td>
    </tr>
  );
}

/** Stage-1 outputs in phase-2 rank order; a row opens its summary and raw memory beside the table. */
export function OutputsTab({
  status,
  thread,
  onThread,
  now,
}: {
  status: MemoriesStatus;
  thread: string | null;
  onThread: (id: string | null) => void;
  now: number;
}) {
  const outputs = useMemoryOutputs();
  const slow = useDelayedFlag(outputs.isPending, 300);
  const rows = outputs.data ?? [];

  if (outputs.isError) {
    return (
      <div className="state state--error" role="alert">
        <p className="state__title">Could not read the stage-1 outputs</p>
        <p className="state__message">{errorMessage(outputs.error)}</p>
      </div>
    );
  }
  if (outputs.isPending) return slow ? <div className="mem-loading">Reading outputs…</div> : null;
  if (rows.length === 0 && thread === null) {
    const s = status.settings;
    return (
      <div className="state" data-testid="memories-outputs-empty">
        <p className="state__title">No stage-1 outputs</p>
        <p>
          Phase 1 summarises a thread into an output when the thread is from the CLI or an IDE, has a first
          message, is not archived, has memory mode <em>enabled</em>, was updated in the last{' '}
          {s.max_rollout_age_days} days, and has been idle for at least {s.min_rollout_idle_hours} hours. A
          thread with nothing durable to remember gets no output.
        </p>
      </div>
    );
  }

  const table = (
    <div className="mem-table-wrap">
      <table className="mem-table" aria-label="Stage-1 outputs" data-testid="memories-outputs">
        <thead>
          <tr>
            <th scope="col">Thread</th>
            <th scope="col">Slug</th>
            <th scope="col">Generated</th>
            <th scope="col" className="mem-table__num">
              Used
            </th>
            <th scope="col">Last used</th>
            <th scope="col">Phase 2</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <Row
              key={o.threadId}
              o={o}
              open={o.threadId === thread}
              onOpen={() => onThread(o.threadId === thread ? null : o.threadId)}
              now={now}
            />
          ))}
        </tbody>
      </table>
      {rows.length < status.counts.outputs && (
        <p className="mem-note mem-table-note">
          The first {formatNumber(rows.length)} of {formatNumber(status.counts.outputs)} outputs, in phase-2
          rank order.
        </p>
      )}
    </div>
  );
  return (
    // Esc anywhere in the tab closes the open output.
    <div
      className="mem-outputs"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && thread !== null) {
          e.preventDefault();
          onThread(null);
        }
      }}
    >
      <SplitPane
        storageKey="threadscope.memories.outputSide"
        defaultSide={520}
        minSide={340}
        main={table}
        side={
          thread === null ? (
            <div className="state mem-side-empty">
              <p className="state__title">Pick an output</p>
              <p>Its rollout summary and raw memory show here, as phase 2 reads them.</p>
            </div>
          ) : (
            <OutputDetail key={thread} threadId={thread} onClose={() => onThread(null)} now={now} />
          )
        }
      />
    </div>
  );
}
