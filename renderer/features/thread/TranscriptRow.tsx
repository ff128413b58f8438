import { memo } from 'react';
import type { OutlineTurn, TranscriptItem } from '../../../preload/contract/index.ts';
import { logsAroundHref } from '../logs/log-view.ts';
import { Markdown } from './Markdown.tsx';
import { ToolCard } from './ToolCard.tsx';
import {
  bytesLabel,
  cappedString,
  clock,
  formatDuration,
  formatTokens,
  tokenTitle,
} from './transcript-format.ts';

export interface RowProps {
  item: TranscriptItem;
  /** The turn this row opens or closes (turn_start / turn_end rows), for labels and token usage. */
  turn: OutlineTurn | null;
  expanded: boolean | undefined;
  onToggle: (position: number, open: boolean) => void;
  /** The thread shown: timed rows link to its Codex logs around their moment. */
  threadId?: string | undefined;
}

const ROLE_LABEL = { user: 'You', assistant: 'Codex', developer: 'Developer', system: 'System' } as const;

function Time({ iso, threadId }: { iso: string | null; threadId?: string | undefined }) {
  const c = clock(iso);
  if (!c) return null;
  const ms = iso ? Date.parse(iso) : NaN;
  return (
    <>
      <time className="msg__time" dateTime={iso ?? undefined} title={c.title}>
        {c.text}
      </time>
      {threadId && Number.isFinite(ms) && (
        <a
          className="msg__logs"
          href={logsAroundHref(threadId, ms)}
          title="Codex logs of this thread and its sub-agents, 30 s either side of this moment"
          data-testid="logs-around"
        >
          Logs around
        </a>
      )}
    </>
  );
}

function Thumbs({ item }: { item: Extract<TranscriptItem, { kind: 'message' }> }) {
  if (item.images.length === 0) return null;
  return (
    <div className="thumbs">
      {item.images.map((img, i) =>
        img.dataUrl ? (
          <a
            key={i}
            className="thumb"
            href={img.dataUrl}
            target="_blank"
            rel="noreferrer"
            title={bytesLabel(img.bytes)}
          >
            <img src={img.dataUrl} alt={`Attached image ${i + 1}`} loading="lazy" />
          </a>
        ) : (
          <span key={i} className="thumb thumb--placeholder" title={img.source ?? undefined}>
            {img.source ? `Image: ${img.source.split(/[\\/]/).at(-1)}` : `Image (${bytesLabel(img.bytes)})`}
          </span>
        ),
      )}
    </div>
  );
}

function Message({
  item,
  expanded,
  onToggle,
  threadId,
}: Omit<RowProps, 'turn'> & { item: Extract<TranscriptItem, { kind: 'message' }> }) {
  const text = cappedString(item.text);
  if (item.injected) {
    const first = text.trim().split('\n')[0] ?? '';
    return (
      <details
        className="context"
        open={expanded ?? false}
        onToggle={(e) => onToggle(item.position, e.currentTarget.open)}
      >
        <summary>
          <span className="context__label">{item.role === 'user' ? 'Context' : ROLE_LABEL[item.role]}</span>
          <span className="context__first mono">{first.slice(0, 160)}</span>
        </summary>
        {expanded && <pre className="context__text">{text}</pre>}
      </details>
    );
  }
  return (
    <div
      className={`msg msg--${item.role}${item.phase === 'commentary' ? ' msg--commentary' : ''}`}
      data-testid={`message-${item.role}`}
    >
      <div className="msg__head">
        <span className="msg__role">{ROLE_LABEL[item.role]}</span>
        <Time iso={item.timestamp} threadId={threadId} />
      </div>
      <div className="msg__body">
        <Markdown text={text} />
        <Thumbs item={item} />
      </div>
    </div>
  );
}

function Divider({
  className,
  children,
  testId,
}: {
  className: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <div className={`divider ${className}`} data-testid={testId}>
      <span className="divider__text">{children}</span>
    </div>
  );
}

function RowContent({ item, turn, expanded, onToggle, threadId }: RowProps) {
  switch (item.kind) {
    case 'message':
      return <Message item={item} expanded={expanded} onToggle={onToggle} threadId={threadId} />;
    case 'reasoning':
      return (
        <details
          className="reasoning"
          open={expanded ?? false}
          onToggle={(e) => onToggle(item.position, e.currentTarget.open)}
        >
          <summary>
            <span className="reasoning__label">Reasoning</span>
            <span className="reasoning__first">{item.text.text.replace(/\*\*/g, '').split('\n')[0]}</span>
          </summary>
          {expanded && <Markdown text={cappedString(item.text)} />}
        </details>
      );
    case 'tool_call':
      return (
        <ToolCard
          name={item.name}
          call={item.call}
          result={item.result}
          status={item.status}
          expanded={expanded ?? item.call.tool === 'patch'}
          onToggle={() => onToggle(item.position, !(expanded ?? item.call.tool === 'patch'))}
        />
      );
    case 'tool_output':
      return (
        <ToolCard
          name={item.name ?? 'tool output'}
          call={null}
          result={item.result}
          status="completed"
          expanded={expanded ?? item.result.changes.length > 0}
          onToggle={() => onToggle(item.position, !(expanded ?? item.result.changes.length > 0))}
        />
      );
    case 'plan':
      return (
        <div className="msg msg--plan">
          <div className="msg__head">
            <span className="msg__role">Plan</span>
            <Time iso={item.timestamp} threadId={threadId} />
          </div>
          <div className="msg__body">
            <Markdown text={cappedString(item.text)} />
          </div>
        </div>
      );
    case 'turn_start':
      return (
        <Divider className="divider--turn" testId="turn-start">
          Turn {turn ? turn.index + 1 : ''}
          {item.mode && item.mode !== 'default' ? ` · ${item.mode} mode` : ''}
          {clock(item.timestamp) && (
            <span title={clock(item.timestamp)!.title}> · {clock(item.timestamp)!.text}</span>
          )}
        </Divider>
      );
    case 'turn_end': {
      const tokens = formatTokens(turn?.tokens);
      if (item.status === 'aborted') {
        return (
          <div className="turn-end turn-end--aborted" data-testid="turn-aborted">
            Turn aborted{item.reason ? ` (${item.reason})` : ''}
            {item.durationMs !== null && ` after ${formatDuration(item.durationMs)}`}
          </div>
        );
      }
      return (
        <div className={`turn-end${item.error ? ' turn-end--error' : ''}`}>
          {item.error ? `Turn failed: ${item.error}` : 'Turn completed'}
          {item.durationMs !== null && ` in ${formatDuration(item.durationMs)}`}
          {tokens && turn?.tokens && (
            <span className="turn-end__tokens" title={tokenTitle(turn.tokens)}>
              {' '}
              · {tokens}
            </span>
          )}
        </div>
      );
    }
    case 'compaction':
      return (
        <details
          className="compaction"
          open={expanded ?? false}
          onToggle={(e) => onToggle(item.position, e.currentTarget.open)}
          data-testid="compaction"
        >
          <summary>
            <span className="compaction__line" />
            <span className="compaction__label">Context compacted</span>
            <span className="compaction__line" />
          </summary>
          {expanded && item.text && <Markdown text={cappedString(item.text)} />}
          {expanded && !item.text && (
            <p className="muted">The model kept no readable summary (server-side compaction).</p>
          )}
        </details>
      );
    case 'error':
      return (
        <div className="error-item" role="note" data-testid="error-item">
          <strong>Error</strong> {item.message}
          {item.detail && <pre className="error-item__detail">{item.detail}</pre>}
        </div>
      );
    case 'session_meta':
      return (
        <Divider className="divider--session">
          {item.position === 0 ? 'Session started' : 'Session resumed'}
          {item.cliVersion && ` · ${item.originator ?? 'codex'} ${item.cliVersion}`}
          {clock(item.timestamp) && (
            <span title={clock(item.timestamp)!.title}> · {clock(item.timestamp)!.text}</span>
          )}
        </Divider>
      );
    case 'event':
      return <div className="event-line">{item.text ?? item.name}</div>;
    case 'token_count':
      return (
        <div className="event-line" title={item.total ? tokenTitle(item.total) : undefined}>
          {item.last
            ? `Tokens: ${formatTokens(item.last) ?? '0 tokens'} this call`
            : 'Tokens: no usage reported'}
          {item.total && ` · ${formatTokens(item.total) ?? '0 tokens'} in total`}
        </div>
      );
    case 'turn_context':
      return (
        <div className="event-line">
          Turn settings:{' '}
          {[item.model, item.effort, item.approvalPolicy, item.sandbox].filter(Boolean).join(' · ') || '—'}
        </div>
      );
    case 'invalid':
      return (
        <div className="event-line event-line--bad" title={item.text}>
          Unreadable line ({bytesLabel(item.bytes)})
        </div>
      );
    default:
      return (
        <div className="event-line mono">
          {item.lineType ?? 'line'}
          {item.payloadType ? ` · ${item.payloadType}` : ''} ({bytesLabel(item.bytes)})
        </div>
      );
  }
}

/** One transcript line as the reader sees it. */
export const TranscriptRow = memo(RowContent);
