import { useState } from 'react';
import type { MemoriesStatus } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useCancelMemories, useRunMemories } from '../../api/use-memories.ts';
import { useToast } from '../../components/Toast.tsx';
import { TrashIcon, WarningIcon } from '../feedback/feedback-icons.tsx';
import { exactTime, formatNumber } from '../threads/thread-format.ts';
import { DropResetDialogs } from './DropResetDialogs.tsx';
import { PlayIcon, ResetIcon, Spinner, StopIcon } from './memories-icons.tsx';
import {
  formatDuration,
  msToSeconds,
  phase1Text,
  phase2Text,
  pipelineLabel,
  pipelineState,
  relativeWhen,
  runBlockedReason,
} from './memories-format.ts';

const BUSY = 'The pipeline is running: cancel it first.';

function When({ ms, now }: { ms: number; now: number }) {
  const s = msToSeconds(ms);
  return <span title={exactTime(s)}>{relativeWhen(s, now)}</span>;
}

function LastRun({ status, now }: { status: MemoriesStatus; now: number }) {
  const run = status.lastRun;
  if (!run) {
    return (
      <p className="mem-summary__run" data-testid="memories-last-run">
        <span className="fb-muted">Never run{status.settings.enabled ? '' : ' — the pipeline is off'}.</span>
      </p>
    );
  }
  return (
    <p className="mem-summary__run" data-testid="memories-last-run">
      <span className="mem-summary__key">{run.finishedAt === null ? 'Started' : 'Last run'}</span>{' '}
      <When ms={run.startedAt} now={now} />
      {run.finishedAt !== null && (
        <span className="fb-muted"> · took {formatDuration(run.finishedAt - run.startedAt)}</span>
      )}
      {run.pruned > 0 && <span className="fb-muted"> · pruned {formatNumber(run.pruned)}</span>}
      {run.phase1 && (
        <>
          <span className="mem-summary__sep" aria-hidden="true" />
          <span className="mem-summary__key">Phase 1</span> {phase1Text(run.phase1)}
        </>
      )}
      {run.phase2 && (
        <>
          <span className="mem-summary__sep" aria-hidden="true" />
          <span className="mem-summary__key">Phase 2</span> {phase2Text(run.phase2)}
          {run.phase2.error && <span className="mem-error"> — {run.phase2.error}</span>}
        </>
      )}
      {run.error && (
        <>
          <span className="mem-summary__sep" aria-hidden="true" />
          <span className="mem-error" data-testid="memories-run-error">
            {run.error}
          </span>
        </>
      )}
    </p>
  );
}

function Stat({
  label,
  value,
  tone,
  testId,
}: {
  label: string;
  value: number;
  tone?: string;
  testId: string;
}) {
  return (
    <div className={`mem-stat${tone && value > 0 ? ` mem-stat--${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{formatNumber(value)}</dd>
    </div>
  );
}

/** The pipeline's state, its last run, the counts, and the actions (run, cancel, drop, reset). */
export function MemoriesHeader({ status, now }: { status: MemoriesStatus; now: number }) {
  const toast = useToast();
  const run = useRunMemories();
  const cancel = useCancelMemories();
  const [confirm, setConfirm] = useState<'drop' | 'reset' | null>(null);
  const state = pipelineState(status);
  const blocked = runBlockedReason(status);
  const c = status.counts;

  const startRun = (): void => {
    if (blocked) {
      toast.show({ message: blocked, durationMs: 5_000 });
      return;
    }
    run.mutate(undefined, {
      onSuccess: ({ started, reason }) => {
        if (!started) toast.show({ message: `Did not start: ${reason ?? 'unknown reason'}` });
      },
      onError: (err) => toast.show({ tone: 'error', message: `Could not start: ${errorMessage(err)}` }),
    });
  };
  // The service refuses both while a run writes the files: say so before the dialog, not after.
  const askFirst = (what: 'drop' | 'reset'): void => {
    if (state === 'running') toast.show({ message: BUSY, durationMs: 5_000 });
    else setConfirm(what);
  };
  return (
    <>
      <header className="toolbar mem-toolbar">
        <div className="toolbar__title">
          <h1>Memories</h1>
          <span className={`mem-state mem-state--${state}`} data-testid="memories-state" data-state={state}>
            {state === 'running' ? <Spinner /> : <span className="mem-state__dot" aria-hidden="true" />}
            {pipelineLabel(status)}
          </span>
          {status.nextRunAt !== null && state === 'idle' && (
            <span className="toolbar__count">
              next run <When ms={status.nextRunAt} now={now} />
            </span>
          )}
        </div>
        {state === 'running' ? (
          <button
            type="button"
            className="fb-button"
            onClick={() =>
              cancel.mutate(undefined, {
                onError: (err) =>
                  toast.show({ tone: 'error', message: `Could not cancel: ${errorMessage(err)}` }),
              })
            }
            disabled={cancel.isPending}
            data-testid="memories-cancel"
          >
            <StopIcon />
            Cancel
          </button>
        ) : null}
        <button
          type="button"
          className="fb-button fb-button--primary"
          onClick={startRun}
          aria-disabled={blocked !== null || run.isPending}
          aria-busy={run.isPending}
          title={blocked ?? 'Prune, then phase 1 (extract) and phase 2 (consolidate), now'}
          data-testid="memories-run"
        >
          <PlayIcon />
          Run now
        </button>
        <span className="mem-toolbar__divider" aria-hidden="true" />
        <button
          type="button"
          className="fb-button fb-button--quiet fb-button--danger mem-toolbar__quiet"
          onClick={() => askFirst('drop')}
          aria-disabled={state === 'running'}
          title={state === 'running' ? BUSY : undefined}
          data-testid="memories-drop"
        >
          <TrashIcon />
          Drop memories…
        </button>
        <button
          type="button"
          className="fb-button fb-button--quiet fb-button--danger mem-toolbar__quiet"
          onClick={() => askFirst('reset')}
          aria-disabled={state === 'running'}
          title={state === 'running' ? BUSY : undefined}
          data-testid="memories-reset"
        >
          <ResetIcon />
          Reset (fresh start)…
        </button>
      </header>

      <div className="mem-summary">
        {status.settingsProblem && (
          <p className="mem-warning" role="alert" data-testid="memories-settings-problem">
            <WarningIcon />
            <span>
              <strong>settings.json was not used</strong> (defaults apply): {status.settingsProblem}. Saving
              the settings writes a new one.
            </span>
          </p>
        )}
        <LastRun status={status} now={now} />
        <dl className="mem-stats" aria-label="Counts">
          <Stat label="Outputs" value={c.outputs} testId="memories-count-outputs" />
          <Stat label="Selected" value={c.selected} testId="memories-count-selected" />
          <Stat label="Jobs running" value={c.jobsRunning} tone="accent" testId="memories-count-running" />
          <Stat label="Jobs failed" value={c.jobsFailed} tone="danger" testId="memories-count-failed" />
          <span className="mem-stats__sep" aria-hidden="true" />
          <Stat label="Threads enabled" value={c.threadsEnabled} testId="memories-count-enabled" />
          <Stat label="Disabled" value={c.threadsDisabled} testId="memories-count-disabled" />
          <Stat label="Polluted" value={c.threadsPolluted} tone="warn" testId="memories-count-polluted" />
          <div className="mem-stat mem-stat--root">
            <dt>Memory root</dt>
            <dd className="mono" title={status.memoryRoot} data-testid="memories-root">
              {status.memoryRoot}
              {!status.rootExists && <span className="fb-muted"> (not created yet)</span>}
            </dd>
          </div>
        </dl>
      </div>

      <DropResetDialogs status={status} open={confirm} onClose={() => setConfirm(null)} />
    </>
  );
}
