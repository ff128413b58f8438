import type { MemoriesStatus } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useDropMemories, useResetMemories } from '../../api/use-memories.ts';
import { useToast } from '../../components/Toast.tsx';
import { formatNumber } from '../threads/thread-format.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { plural } from './memories-format.ts';

/**
 * "Drop memories…" and "Reset (fresh start)…": each behind a dialog that says exactly what is deleted,
 * with the outcome (and any file that could not be removed) in a toast.
 */
export function DropResetDialogs({
  status,
  open,
  onClose,
}: {
  status: MemoriesStatus;
  open: 'drop' | 'reset' | null;
  onClose: () => void;
}) {
  const toast = useToast();
  const drop = useDropMemories();
  const reset = useResetMemories();
  const c = status.counts;
  // A dialog opened again starts without the last attempt's error.
  const close = (m: { reset: () => void }): void => {
    m.reset();
    onClose();
  };
  const failuresText = (failures: readonly string[]): string =>
    failures.length > 0
      ? ` ${plural(failures.length, 'file')} could not be removed: ${failures.join('; ')}`
      : '';
  const doDrop = (): void =>
    drop.mutate(undefined, {
      onSuccess: ({ rows, failures }) => {
        onClose();
        toast.show({
          tone: failures.length > 0 ? 'error' : 'info',
          message: `Dropped memories: ${plural(rows, 'row')} deleted, memory root emptied.${failuresText(failures)}`,
        });
      },
    });
  const doReset = (): void =>
    reset.mutate(undefined, {
      onSuccess: ({ rows, threadsDisabled, failures }) => {
        onClose();
        toast.show({
          tone: failures.length > 0 ? 'error' : 'info',
          message: `Fresh start: ${plural(rows, 'row')} deleted, ${plural(threadsDisabled, 'thread')} set to disabled, pipeline off.${failuresText(failures)}`,
        });
      },
    });

  return (
    <>
      <ConfirmDialog
        open={open === 'drop'}
        onOpenChange={(o) => (o ? undefined : close(drop))}
        title="Drop all memories?"
        confirmLabel="Drop memories"
        pendingLabel="Dropping…"
        pending={drop.isPending}
        error={drop.isError ? `Could not drop: ${errorMessage(drop.error)}` : null}
        onConfirm={doDrop}
        testId="memories-drop-dialog"
      >
        <p>This deletes, and cannot be undone:</p>
        <ul className="mem-confirm__list">
          <li>
            every stage-1 output ({plural(c.outputs, 'thread summary', 'thread summaries')}) and every memory
            job in Threadscope’s state DB;
          </li>
          <li>
            everything inside the memory root <code>{status.memoryRoot}</code>: <code>MEMORY.md</code>,{' '}
            <code>memory_summary.md</code>, <code>raw_memories.md</code>, <code>rollout_summaries/</code>,{' '}
            <code>skills/</code> and any other file there. The folder itself stays (a symlinked root is
            refused).
          </li>
        </ul>
        <p className="fb-muted">
          Threads, their rollouts and their memory modes are not touched.{' '}
          {status.settings.enabled
            ? 'The pipeline stays on: its next run summarises the eligible threads again.'
            : 'The pipeline stays off.'}
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={open === 'reset'}
        onOpenChange={(o) => (o ? undefined : close(reset))}
        title="Reset memories for a fresh start?"
        confirmLabel="Reset"
        pendingLabel="Resetting…"
        pending={reset.isPending}
        error={reset.isError ? `Could not reset: ${errorMessage(reset.error)}` : null}
        onConfirm={doReset}
        testId="memories-reset-dialog"
      >
        <p>Everything “Drop memories” deletes, and cannot be undone:</p>
        <ul className="mem-confirm__list">
          <li>
            every stage-1 output ({formatNumber(c.outputs)}) and memory job in the state DB, and everything
            inside <code>{status.memoryRoot}</code>;
          </li>
          <li>
            plus: the {plural(c.threadsEnabled, 'thread')} whose memory mode is <em>enabled</em> become{' '}
            <em>disabled</em>, so past threads are not summarised again;
          </li>
          <li>and the pipeline is turned off.</li>
        </ul>
        <p className="fb-muted">
          Rollouts are not touched. A thread can be re-enabled from its side panel; new threads start enabled.
        </p>
      </ConfirmDialog>
    </>
  );
}
