import { useMemo, useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { useMemoryFile, useMemoryOutputs } from '../../api/use-memories.ts';
import { formatBytes } from '../feedback/feedback-format.ts';
import { useDelayedFlag } from '../logs/use-timing.ts';
import { Markdown } from '../thread/Markdown.tsx';
import { exactTime } from '../threads/thread-format.ts';
import { msToSeconds, relativeWhen } from './memories-format.ts';
import { prepareMemoryMarkdown } from './memory-markdown.ts';
import { isMarkdownPath } from './memory-tree.ts';
import type { ThreadTitles } from './thread-links.ts';

/** Larger Markdown files open as source (rendering a megabyte takes a while); one click renders them. */
const RENDER_UP_TO_BYTES = 400 * 1024;

/** Thread links say which thread they open on hover: the titles of the threads with an output. */
function useThreadTitles(): ThreadTitles | undefined {
  const outputs = useMemoryOutputs();
  return useMemo(
    () =>
      outputs.data
        ? new Map(outputs.data.flatMap((o) => (o.threadTitle ? [[o.threadId, o.threadTitle] as const] : [])))
        : undefined,
    [outputs.data],
  );
}

function Rendered({ text }: { text: string }) {
  const titles = useThreadTitles();
  const prepared = useMemo(() => prepareMemoryMarkdown(text, titles), [text, titles]);
  return <Markdown text={prepared} />;
}

/**
 * One file of the memory root: Markdown rendered with thread links, anything else as monospace text.
 * Mounted per path (keyed by it), so the Rendered/Source choice starts fresh for each file.
 */
export function FileViewer({ path, now }: { path: string; now: number }) {
  const file = useMemoryFile(path);
  const markdown = isMarkdownPath(path);
  /** null: Markdown renders unless the file is too big. */
  const [asSource, setAsSource] = useState<boolean | null>(null);
  const data = file.data?.path === path ? file.data : undefined;
  const tooBig = (data?.bytes ?? 0) > RENDER_UP_TO_BYTES;
  const source = !markdown || (asSource ?? tooBig);
  const slow = useDelayedFlag(file.isFetching && !data, 300);
  const parts = path.split('/');

  return (
    <section className="mem-viewer" aria-label={`File ${path}`} data-testid="memories-file" data-path={path}>
      <header className="mem-viewer__head">
        <h2 className="mem-viewer__path" title={path}>
          {parts.slice(0, -1).map((p, i) => (
            <span key={i} className="mem-viewer__dir">
              {p}/
            </span>
          ))}
          <span className="mem-viewer__name">{parts.at(-1)}</span>
        </h2>
        {data && (
          <span className="mem-viewer__meta">
            {formatBytes(data.bytes)} · modified{' '}
            <span title={exactTime(msToSeconds(data.modifiedAt))}>
              {relativeWhen(msToSeconds(data.modifiedAt), now)}
            </span>
          </span>
        )}
        {markdown && (
          <div className="mem-segmented" role="group" aria-label="Show as">
            <button
              type="button"
              aria-pressed={!source}
              onClick={() => setAsSource(false)}
              data-testid="memories-file-rendered"
            >
              Rendered
            </button>
            <button
              type="button"
              aria-pressed={source}
              onClick={() => setAsSource(true)}
              data-testid="memories-file-source"
            >
              Source
            </button>
          </div>
        )}
        <div className={`fb-progress${slow ? ' is-on' : ''}`} aria-hidden="true">
          <div className="fb-progress__bar" />
        </div>
      </header>
      <div className="mem-viewer__body" tabIndex={0} aria-busy={file.isFetching}>
        {file.isError && file.error && !data ? (
          <div className="state state--error" role="alert">
            <p className="state__title">Could not open {parts.at(-1)}</p>
            <p className="state__message">{errorMessage(file.error)}</p>
            <p>It may have been removed by a pipeline run: pick another file in the tree.</p>
          </div>
        ) : data ? (
          <>
            {markdown && tooBig && asSource === null && (
              <p className="mem-note">
                {formatBytes(data.bytes)}: shown as source.{' '}
                <button type="button" className="mem-linkish" onClick={() => setAsSource(false)}>
                  Render it
                </button>
              </p>
            )}
            {data.text.trim() === '' ? (
              <p className="fb-muted">This file is empty.</p>
            ) : source ? (
              <pre className="mem-source">{data.text}</pre>
            ) : (
              <div className="mem-md">
                <Rendered text={data.text} />
              </div>
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}
