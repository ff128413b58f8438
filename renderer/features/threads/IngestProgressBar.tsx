import type { IngestProgress } from '../../../preload/contract/index.ts';
import { formatNumber } from './thread-format.ts';

/** Shown while a backfill or re-scan runs: determinate by bytes once the files are known. */
export function IngestProgressBar({ progress }: { progress: IngestProgress }) {
  const discovering = progress.phase === 'discovering';
  const fraction =
    progress.bytesTotal > 0
      ? progress.bytesDone / progress.bytesTotal
      : progress.filesTotal > 0
        ? progress.filesDone / progress.filesTotal
        : 0;
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div className="ingest" role="status" aria-live="polite" data-testid="ingest-progress">
      <div className="ingest__text">
        <span className="ingest__phase">{discovering ? 'Looking for rollouts…' : 'Indexing rollouts…'}</span>
        <span className="ingest__counts">
          {discovering
            ? `${formatNumber(progress.filesTotal)} files found`
            : `${formatNumber(progress.filesDone)} / ${formatNumber(progress.filesTotal)} files · ${formatNumber(progress.threadsUpserted)} threads`}
          {progress.problems > 0 && ` · ${formatNumber(progress.problems)} problems`}
        </span>
      </div>
      <div
        className={`ingest__track${discovering ? ' is-indeterminate' : ''}`}
        role="progressbar"
        aria-label="Ingest progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={discovering ? undefined : percent}
      >
        <div className="ingest__bar" style={discovering ? undefined : { width: `${percent}%` }} />
      </div>
    </div>
  );
}
