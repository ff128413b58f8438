import { isIngestBusy, useAppInfo, useIngestStatus } from '../api/use-app-status.ts';

const phaseLabel = {
  idle: 'Idle',
  discovering: 'Scanning',
  ingesting: 'Indexing',
  watching: 'Watching for changes',
} as const;

const plural = (n: number, noun: string): string => `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;

/** One calm line at the bottom: which CODEX_HOME this is, how many threads, what ingest is doing. */
export function StatusBar() {
  const info = useAppInfo().data;
  const status = useIngestStatus().data;
  const phase = status?.progress.phase ?? 'idle';
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-bar__item" title="Codex home folder being read">
        <span className="status-bar__key">CODEX_HOME</span>
        <span className="mono">{info?.codexHome ?? '…'}</span>
      </span>
      {status && (
        <span
          className="status-bar__item"
          title="Every thread read from CODEX_HOME, archived ones and those without a user message (which the thread list leaves out) included"
        >
          {plural(status.threadCount, 'thread')} indexed
          {status.problemCount > 0 && ` · ${plural(status.problemCount, 'unreadable file')}`}
        </span>
      )}
      <span className="status-bar__spacer" />
      {status && (
        <span className="status-bar__item" data-testid="ingest-phase">
          <span className={`status-dot status-dot--${isIngestBusy(status.progress) ? 'busy' : phase}`} />
          {phaseLabel[phase]}
        </span>
      )}
      {info && (
        <span className="status-bar__item status-bar__muted">
          {info.name} {info.version} · {info.shell}
        </span>
      )}
    </footer>
  );
}
