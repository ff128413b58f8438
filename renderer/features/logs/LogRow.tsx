import { memo, type MouseEvent } from 'react';
import type { LogRecord } from '../../../preload/contract/index.ts';
import { hrefTo } from '../../app/hash-location.ts';
import { ChevronRightIcon, FunnelIcon } from './log-icons.tsx';
import { exactLogTime, levelClass, rowClock, rowMs, shortThreadId } from './log-format.ts';

/** A collapsed row's height; an expanded one is measured. */
export const LOG_ROW_HEIGHT = 22;

export interface LogRowActions {
  onToggle: (id: number) => void;
  onFilterThread: (threadId: string) => void;
  onFilterProcess: (processUuid: string) => void;
}

interface LogRowProps extends LogRowActions {
  row: LogRecord;
  selected: boolean;
  expanded: boolean;
  nowMs: number;
}

/** Clicks on links and buttons inside a row act on their own; they neither select nor expand it. */
const stop = (e: MouseEvent): void => e.stopPropagation();

const firstLine = (message: string): string => message.split('\n', 1)[0] ?? '';
/** Lines after the first (a trailing newline does not count). */
const extraLines = (message: string | null): number => {
  if (!message) return 0;
  let n = 0;
  for (let i = message.indexOf('\n'); i !== -1 && i < message.length - 1; i = message.indexOf('\n', i + 1))
    n++;
  return n;
};

const threadHref = (id: string): string => hrefTo(`/thread/${encodeURIComponent(id)}`);

function RowDetail({
  row,
  onFilterThread,
  onFilterProcess,
}: Omit<LogRowProps, 'selected' | 'expanded' | 'nowMs' | 'onToggle'>) {
  const location = row.file ? `${row.file}${row.line !== null ? `:${row.line}` : ''}` : null;
  return (
    <div className="log-detail" onClick={stop} data-testid="log-detail">
      <pre className="log-detail__message" data-testid="log-detail-message">
        {row.message ?? <span className="log-detail__none">(no message)</span>}
      </pre>
      <dl className="log-detail__fields">
        <dt>Time</dt>
        <dd className="mono" data-testid="log-detail-time">
          {exactLogTime(row)}
        </dd>
        <dt>Target</dt>
        <dd className="mono">{row.target}</dd>
        <dt>Module</dt>
        <dd className="mono">{row.modulePath ?? <span className="log-detail__none">—</span>}</dd>
        <dt>Location</dt>
        <dd className="mono">{location ?? <span className="log-detail__none">—</span>}</dd>
        <dt>Thread</dt>
        <dd>
          {row.threadId ? (
            <span className="log-detail__line">
              <a className="mono" href={threadHref(row.threadId)} data-testid="log-detail-thread">
                {row.threadId}
              </a>
              <button
                type="button"
                className="log-action"
                onClick={() => onFilterThread(row.threadId!)}
                data-testid="log-detail-filter-thread"
              >
                <FunnelIcon /> Filter to this thread
              </button>
            </span>
          ) : (
            <span className="log-detail__none">none (threadless)</span>
          )}
        </dd>
        <dt>Process</dt>
        <dd>
          {row.processUuid ? (
            <span className="log-detail__line">
              <span className="mono">{row.processUuid}</span>
              <button
                type="button"
                className="log-action"
                onClick={() => onFilterProcess(row.processUuid!)}
                data-testid="log-detail-filter-process"
              >
                <FunnelIcon /> Filter to this process
              </button>
            </span>
          ) : (
            <span className="log-detail__none">—</span>
          )}
        </dd>
        <dt>Row</dt>
        <dd className="mono log-detail__muted">#{row.id}</dd>
      </dl>
    </div>
  );
}

/** One log line: time, level, target, thread, message; expands in place to every field. */
export const LogRow = memo(function LogRow(props: LogRowProps) {
  const { row, selected, expanded, nowMs, onToggle, onFilterThread } = props;
  const ms = rowMs(row);
  const clock = rowClock(ms, nowMs);
  const level = levelClass(row.level);
  return (
    <div
      id={`log-row-${row.id}`}
      role="row"
      aria-selected={selected}
      aria-expanded={expanded}
      className={`log-row log-row--${level}${selected ? ' is-selected' : ''}${expanded ? ' is-expanded' : ''}`}
      onClick={() => onToggle(row.id)}
      data-testid="log-row"
      data-level={row.level}
    >
      <div className="log-row__line">
        <span role="gridcell" className="log-row__time mono" title={exactLogTime(row)}>
          <ChevronRightIcon className="log-row__chevron" />
          {clock.day && <span className="log-row__day">{clock.day} </span>}
          {clock.time}
        </span>
        <span role="gridcell" className="log-row__level">
          <span className={`log-level log-level--${level}`}>{row.level}</span>
        </span>
        <span role="gridcell" className="log-row__target mono" title={row.modulePath ?? row.target}>
          {row.target}
        </span>
        <span role="gridcell" className="log-row__thread">
          {row.threadId && (
            <>
              <a
                className="mono"
                href={threadHref(row.threadId)}
                onClick={stop}
                title={`Open thread ${row.threadId}`}
                tabIndex={-1}
              >
                {shortThreadId(row.threadId)}
              </a>
              <button
                type="button"
                className="log-row__filter"
                onClick={(e) => {
                  stop(e);
                  onFilterThread(row.threadId!);
                }}
                title="Filter to this thread"
                aria-label={`Filter to thread ${row.threadId}`}
                tabIndex={-1}
                data-testid="log-filter-thread"
              >
                <FunnelIcon />
              </button>
            </>
          )}
        </span>
        <span
          role="gridcell"
          className={`log-row__message mono${row.message === null ? ' is-none' : ''}`}
          data-testid="log-message"
        >
          {row.message === null ? '(no message)' : firstLine(row.message)}
          {extraLines(row.message) > 0 && (
            <span className="log-row__more"> +{extraLines(row.message)} lines</span>
          )}
        </span>
      </div>
      {expanded && <RowDetail {...props} />}
    </div>
  );
});
