import { useMemo } from 'react';
import type { Stage1OutputDetail } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useMemoryOutput } from '../../api/use-memories.ts';
import { CloseIcon } from '../feedback/feedback-icons.tsx';
import { Markdown } from '../thread/Markdown.tsx';
import { exactTime, formatNumber } from '../threads/thread-format.ts';
import { relativeWhen } from './memories-format.ts';
import { prepareMemoryMarkdown } from './memory-markdown.ts';
import { memoryFileHref } from './thread-links.ts';

/** A stage-1 text as Markdown (thread ids linked), or a note when it is blank. */
export function MemoryText({ text }: { text: string }) {
  const prepared = useMemo(() => prepareMemoryMarkdown(text), [text]);
  if (text.trim() === '') return <p className="fb-muted">(empty)</p>;
  return (
    <div className="mem-md">
      <Markdown text={prepared} />
    </div>
  );
}

/** The facts of an output: slug, file, times, usage, selection. */
export function OutputFacts({ output: o, now }: { output: Stage1OutputDetail; now: number }) {
  const file = `rollout_summaries/${o.summaryFile}`;
  return (
    <dl className="mem-facts">
      <dt>Slug</dt>
      <dd className="mono">{o.rolloutSlug || <span className="fb-muted">none</span>}</dd>
      <dt>Summary file</dt>
      <dd className="mono">
        <a href={memoryFileHref(file)} data-testid="memories-output-file">
          {o.summaryFile}
        </a>
      </dd>
      <dt>Generated</dt>
      <dd title={exactTime(o.generatedAt)}>{relativeWhen(o.generatedAt, now)}</dd>
      <dt>Snapshot</dt>
      <dd title={`Made from the thread as it was at ${exactTime(o.sourceUpdatedAt)}`}>
        thread as of {relativeWhen(o.sourceUpdatedAt, now)}
      </dd>
      <dt>Used</dt>
      <dd>
        {o.usageCount ? `${formatNumber(o.usageCount)} ${o.usageCount === 1 ? 'time' : 'times'}` : 'never'}
        {o.lastUsage !== null && (
          <span className="fb-muted" title={exactTime(o.lastUsage)}>
            {' '}
            · last {relativeWhen(o.lastUsage, now)}
          </span>
        )}
      </dd>
      <dt>Phase 2</dt>
      <dd>
        {o.selectedForPhase2 ? (
          <span className="mem-badge mem-badge--ok">selected</span>
        ) : (
          <span className="mem-badge mem-badge--muted">not selected</span>
        )}
      </dd>
    </dl>
  );
}

/** One output beside the table: its facts, then the rollout summary and the raw memory. */
export function OutputDetail({
  threadId,
  onClose,
  now,
}: {
  threadId: string;
  onClose: () => void;
  now: number;
}) {
  const q = useMemoryOutput(threadId);
  const o = q.data?.output ?? null;
  return (
    <section className="mem-detail" aria-label="Stage-1 output" data-testid="memories-output-detail">
      <header className="mem-detail__head">
        <h2 className="mem-detail__title">
          <a href={`#/thread/${threadId}`} title="Open the thread">
            {o?.threadTitle?.trim() || threadId}
          </a>
        </h2>
        <button
          type="button"
          className="fb-button fb-button--quiet fb-button--icon"
          aria-label="Close"
          onClick={onClose}
          title="Close (Esc)"
        >
          <CloseIcon />
        </button>
      </header>
      <div className="mem-detail__body">
        {q.isError && <p className="fb-error-text">{errorMessage(q.error)}</p>}
        {q.data && !o && (
          <p className="fb-muted">
            This thread has no stage-1 output any more (it was dropped, pruned, or found nothing worth
            keeping).
          </p>
        )}
        {o && (
          <>
            <OutputFacts output={o} now={now} />
            <h3 className="mem-detail__section">Rollout summary</h3>
            <MemoryText text={o.rolloutSummary} />
            <h3 className="mem-detail__section">Raw memory</h3>
            <MemoryText text={o.rawMemory} />
          </>
        )}
      </div>
    </section>
  );
}
