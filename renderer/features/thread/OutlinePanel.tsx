import { Fragment, memo, useEffect, useRef, useState } from 'react';
import type { OutlineEntry, OutlineTurn, TranscriptOutline } from '../../../preload/contract/index.ts';
import { formatDuration, formatTokens } from './transcript-format.ts';

type Tab = 'turns' | 'tools' | 'errors';

interface OutlineProps {
  outline: TranscriptOutline | undefined;
  loading: boolean;
  activeTurn: number;
  onJump: (position: number) => void;
}

function EntryRow({ entry, onJump }: { entry: OutlineEntry; onJump: (position: number) => void }) {
  return (
    <li>
      <button
        type="button"
        className={`outline__item outline__item--${entry.kind}${entry.failed ? ' is-failed' : ''}`}
        onClick={() => onJump(entry.position)}
        title={entry.detail ?? entry.label}
        data-testid="outline-entry"
        data-position={entry.position}
      >
        <span className="outline__dot" aria-hidden="true" />
        <span className="outline__text">
          <span className="outline__label">{entry.label}</span>
          {entry.detail && <span className="outline__detail mono">{entry.detail}</span>}
        </span>
      </button>
    </li>
  );
}

/** Memoised: a long thread has hundreds of turns, and only two change when the active turn moves. */
const TurnButton = memo(function TurnButton({
  turn: t,
  active,
  onJump,
}: {
  turn: OutlineTurn;
  active: boolean;
  onJump: (position: number) => void;
}) {
  return (
    <button
      type="button"
      className={`outline__item outline__turn${active ? ' is-active' : ''}${t.status === 'aborted' ? ' is-failed' : ''}`}
      onClick={() => onJump(t.messagePosition ?? t.position)}
      data-testid="outline-turn"
      data-position={t.messagePosition ?? t.position}
      aria-current={active ? 'location' : undefined}
    >
      <span className="outline__num">{t.index + 1}</span>
      <span className="outline__text">
        <span className="outline__label">{t.label}</span>
        <span className="outline__meta">
          {t.toolCalls > 0 && <span>{t.toolCalls} tools</span>}
          {t.errors > 0 && <span className="outline__errors">{t.errors} failed</span>}
          {formatTokens(t.tokens) && <span>{formatTokens(t.tokens)}</span>}
          {t.durationMs !== null && <span>{formatDuration(t.durationMs)}</span>}
          {t.status === 'aborted' && <span className="outline__errors">aborted</span>}
        </span>
      </span>
    </button>
  );
});

/** Turns (with compaction markers between them), tool calls and errors; a click scrolls the transcript there. */
export const OutlinePanel = memo(function OutlinePanel({
  outline,
  loading,
  activeTurn,
  onJump,
}: OutlineProps) {
  const [tab, setTab] = useState<Tab>('turns');
  const listRef = useRef<HTMLDivElement>(null);
  const tools = outline?.entries.filter((e) => e.kind === 'tool') ?? [];
  const problems =
    outline?.entries.filter((e) => e.kind === 'error' || e.kind === 'aborted' || e.failed) ?? [];
  const compactions = outline?.entries.filter((e) => e.kind === 'compaction') ?? [];

  useEffect(() => {
    if (tab !== 'turns') return;
    const el = listRef.current?.querySelector<HTMLElement>('.outline__item.is-active');
    el?.scrollIntoView({ block: 'nearest' });
  }, [activeTurn, tab]);

  const tabs: { key: Tab; label: string; count: number | null }[] = [
    { key: 'turns', label: 'Turns', count: outline?.turns.length ?? null },
    { key: 'tools', label: 'Tools', count: outline?.counts.toolCalls ?? null },
    { key: 'errors', label: 'Errors', count: outline ? problems.length : null },
  ];

  return (
    <nav className="outline" aria-label="Thread outline" data-testid="outline">
      <div className="outline__tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            aria-selected={tab === t.key}
            className={`outline__tab${tab === t.key ? ' is-on' : ''}${t.key === 'errors' && (t.count ?? 0) > 0 ? ' has-errors' : ''}`}
            onClick={() => setTab(t.key)}
            data-testid={`outline-tab-${t.key}`}
          >
            {t.label}
            {t.count !== null && <span className="outline__count">{t.count}</span>}
          </button>
        ))}
      </div>
      <div className="outline__list" ref={listRef}>
        {loading && !outline && <p className="outline__empty">Reading the thread…</p>}
        {outline && tab === 'turns' && (
          <ol>
            {outline.turns.length === 0 && <p className="outline__empty">No user turns in this thread.</p>}
            {outline.turns.map((t) => (
              <Fragment key={t.index}>
                {compactions
                  .filter((c) => c.turn === t.index - 1 || (t.index === 0 && c.turn === null))
                  .map((c) => (
                    <EntryRow key={`c-${c.position}`} entry={c} onJump={onJump} />
                  ))}
                <li>
                  <TurnButton turn={t} active={t.index === activeTurn} onJump={onJump} />
                </li>
              </Fragment>
            ))}
            {compactions
              .filter((c) => c.turn !== null && c.turn === outline.turns.length - 1)
              .map((c) => (
                <EntryRow key={`c-${c.position}`} entry={c} onJump={onJump} />
              ))}
          </ol>
        )}
        {outline && tab === 'tools' && (
          <ul>
            {tools.length === 0 && <p className="outline__empty">No tool calls.</p>}
            {tools.map((e) => (
              <EntryRow key={e.position} entry={e} onJump={onJump} />
            ))}
            {outline.entriesTruncated && (
              <p className="outline__empty">Only the first {tools.length} tool calls are listed.</p>
            )}
          </ul>
        )}
        {outline && tab === 'errors' && (
          <ul>
            {problems.length === 0 && (
              <p className="outline__empty">No errors, failed tool calls or aborted turns.</p>
            )}
            {problems.map((e) => (
              <EntryRow key={`${e.kind}-${e.position}`} entry={e} onJump={onJump} />
            ))}
          </ul>
        )}
      </div>
    </nav>
  );
});
