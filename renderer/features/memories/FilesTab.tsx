import { useMemo } from 'react';
import type { MemoriesStatus } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useMemoryFiles } from '../../api/use-memories.ts';
import { useDelayedFlag } from '../logs/use-timing.ts';
import { FileTree } from './FileTree.tsx';
import { FileViewer } from './FileViewer.tsx';
import type { MemoriesTab } from './memories-view.ts';
import { buildMemoryTree, defaultFile } from './memory-tree.ts';

/** Shown when the memory root has nothing in it yet: what writes it, and how to get there. */
function EmptyRoot({ status, onTab }: { status: MemoriesStatus; onTab: (tab: MemoriesTab) => void }) {
  const on = status.settings.enabled;
  return (
    <div className="state mem-empty" data-testid="memories-files-empty">
      <p className="state__title">{status.rootExists ? 'The memory root is empty' : 'No memory files yet'}</p>
      <p>
        The pipeline writes its files into <code>{status.memoryRoot}</code>: <code>rollout_summaries/</code>{' '}
        and <code>raw_memories.md</code> from phase 1’s thread summaries, then <code>MEMORY.md</code> and{' '}
        <code>memory_summary.md</code> when phase 2 consolidates them.
      </p>
      {on ? (
        <p>
          The pipeline is on. It summarises CLI and IDE threads updated in the last{' '}
          {status.settings.max_rollout_age_days} days and idle for at least{' '}
          {status.settings.min_rollout_idle_hours} hours; use <strong>Run now</strong> to start a run.
        </p>
      ) : (
        <p>
          The pipeline is off. In <strong>Settings</strong>, pick a model provider (your Codex CLI, the OpenAI
          API, or an OpenAI-compatible server such as a local Ollama), turn the pipeline on and save; then use{' '}
          <strong>Run now</strong>.
        </p>
      )}
      {!on && (
        <button type="button" className="fb-button" onClick={() => onTab('settings')}>
          Open Settings
        </button>
      )}
    </div>
  );
}

/** The memory root: the tree on the left, the open file on the right. */
export function FilesTab({
  status,
  file,
  onFile,
  onTab,
  now,
}: {
  status: MemoriesStatus;
  file: string | null;
  onFile: (path: string) => void;
  onTab: (tab: MemoriesTab) => void;
  now: number;
}) {
  const files = useMemoryFiles();
  const entries = useMemo(() => files.data ?? [], [files.data]);
  const tree = useMemo(() => buildMemoryTree(entries), [entries]);
  const slow = useDelayedFlag(files.isPending, 300);
  const selected = file ?? defaultFile(entries, tree);

  if (files.isError) {
    return (
      <div className="state state--error" role="alert">
        <p className="state__title">Could not list the memory root</p>
        <p className="state__message">{errorMessage(files.error)}</p>
        <button type="button" className="fb-button" onClick={() => void files.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (files.isPending) return slow ? <div className="mem-loading">Listing the memory root…</div> : null;
  if (entries.length === 0) return <EmptyRoot status={status} onTab={onTab} />;

  return (
    <div className="mem-files">
      <nav className="mem-files__tree" aria-label="Memory root">
        <FileTree tree={tree} selected={selected} onSelect={onFile} />
      </nav>
      {selected ? (
        <FileViewer key={selected} path={selected} now={now} />
      ) : (
        <div className="state">
          <p className="state__title">Only folders here</p>
          <p>Open a folder on the left to find a file.</p>
        </div>
      )}
    </div>
  );
}
