import { errorMessage } from '../../api/client.ts';
import { useMemoriesLive, useMemoriesStatus } from '../../api/use-memories.ts';
import { useDelayedFlag } from '../logs/use-timing.ts';
import { useNow } from '../threads/use-now.ts';
import { FilesTab } from './FilesTab.tsx';
import { JobsTab } from './JobsTab.tsx';
import { MemoriesHeader } from './MemoriesHeader.tsx';
import { MemoriesTabs, panelId, tabId } from './MemoriesTabs.tsx';
import { useMemoriesView } from './memories-view.ts';
import { OutputsTab } from './OutputsTab.tsx';
import { SettingsTab } from './SettingsTab.tsx';

/**
 * `#/memories?tab=files|outputs|jobs|settings&file=<rel path>&thread=<id>`: the memories pipeline's
 * state and actions, the memory root's files, the stage-1 outputs, the jobs and the settings.
 */
export function MemoriesPage() {
  useMemoriesLive();
  const status = useMemoriesStatus();
  const [view, setView] = useMemoriesView();
  // Relative times tick faster here: a run's "just now" and lease times move within minutes.
  const now = useNow(15_000);
  const slow = useDelayedFlag(status.isPending, 300);

  if (status.isError) {
    return (
      <div className="mem-page" data-testid="memories-page">
        <div className="state state--error" role="alert">
          <p className="state__title">Could not read the memories pipeline’s state</p>
          <p className="state__message">{errorMessage(status.error)}</p>
          <button type="button" className="fb-button" onClick={() => void status.refetch()}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  if (!status.data) {
    return (
      <div className="mem-page" data-testid="memories-page" aria-busy="true">
        {slow && (
          <div className="state state--loading" aria-label="Loading">
            {[0, 1, 2].map((i) => (
              <div key={i} className="skeleton-row">
                <div className="skeleton" />
              </div>
            ))}
          </div>
        )}
      </div>
    );
  }

  const s = status.data;
  return (
    <div className="mem-page" data-testid="memories-page">
      <MemoriesHeader status={s} now={now} />
      <MemoriesTabs tab={view.tab} onTab={(tab) => setView({ tab })} counts={{ outputs: s.counts.outputs }} />
      <div
        className={`mem-page__body mem-page__body--${view.tab}`}
        role="tabpanel"
        id={panelId(view.tab)}
        aria-labelledby={tabId(view.tab)}
      >
        {view.tab === 'files' && (
          <FilesTab
            status={s}
            file={view.file}
            onFile={(file) => setView({ file })}
            onTab={(tab) => setView({ tab })}
            now={now}
          />
        )}
        {view.tab === 'outputs' && (
          <OutputsTab status={s} thread={view.thread} onThread={(thread) => setView({ thread })} now={now} />
        )}
        {view.tab === 'jobs' && <JobsTab running={s.running} now={now} />}
        {view.tab === 'settings' && <SettingsTab status={s} />}
      </div>
    </div>
  );
}
