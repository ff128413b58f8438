import { useRef, type KeyboardEvent } from 'react';
import { TABS, type MemoriesTab } from './memories-view.ts';

const LABELS: Record<MemoriesTab, string> = {
  files: 'Files',
  outputs: 'Outputs',
  jobs: 'Jobs',
  settings: 'Settings',
};

export const tabId = (tab: MemoriesTab): string => `mem-tab-${tab}`;
export const panelId = (tab: MemoriesTab): string => `mem-panel-${tab}`;

/**
 * The page's tabs (WAI-ARIA tabs: one tab stop, ←/→/Home/End move and select). Counts show beside a
 * label when known.
 */
export function MemoriesTabs({
  tab,
  onTab,
  counts,
}: {
  tab: MemoriesTab;
  onTab: (tab: MemoriesTab) => void;
  counts: Partial<Record<MemoriesTab, number>>;
}) {
  const refs = useRef(new Map<MemoriesTab, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const i = TABS.indexOf(tab);
    const next =
      e.key === 'ArrowRight'
        ? TABS[(i + 1) % TABS.length]
        : e.key === 'ArrowLeft'
          ? TABS[(i - 1 + TABS.length) % TABS.length]
          : e.key === 'Home'
            ? TABS[0]
            : e.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined;
    if (!next) return;
    e.preventDefault();
    onTab(next);
    refs.current.get(next)?.focus();
  };
  return (
    <div className="mem-tabs" role="tablist" aria-label="Memories" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t}
          ref={(el) => {
            if (el) refs.current.set(t, el);
            else refs.current.delete(t);
          }}
          type="button"
          role="tab"
          id={tabId(t)}
          aria-selected={t === tab}
          aria-controls={panelId(t)}
          tabIndex={t === tab ? 0 : -1}
          className="mem-tabs__tab"
          onClick={() => onTab(t)}
          data-testid={`memories-tab-${t}`}
        >
          {LABELS[t]}
          {counts[t] !== undefined && <span className="mem-tabs__count">{counts[t]}</span>}
        </button>
      ))}
    </div>
  );
}
