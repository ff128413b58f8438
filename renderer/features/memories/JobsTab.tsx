import type { MemoryJob } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useMemoryJobs } from '../../api/use-memories.ts';
import { useDelayedFlag } from '../logs/use-timing.ts';
import { exactTime } from '../threads/thread-format.ts';
import { jobKindLabel, jobStatusTone, relativeWhen } from './memories-format.ts';

function When({ at, now, prefix }: { at: number | null; now: number; prefix?: string }) {
  if (at === null) return <span className="fb-muted">—</span>;
  return (
    <span title={exactTime(at)}>
      {prefix}
      {relativeWhen(at, now)}
    </span>
  );
}

/** The time that matters for the job's state: its lease while running, its retry after a failure. */
function Timing({ job, now }: { job: MemoryJob; now: number }) {
  if (job.status === 'running' && job.leaseUntil !== null)
    return <When at={job.leaseUntil} now={now} prefix="lease until " />;
  if (job.retryAt !== null) return <When at={job.retryAt} now={now} prefix="retry " />;
  return <span className="fb-muted">—</span>;
}

function Row({ job, now }: { job: MemoryJob; now: number }) {
  const global = job.kind === 'memory_consolidate_global';
  const firstLine = job.lastError?.split('\n')[0] ?? '';
  return (
    <tr data-testid="memories-job-row" data-kind={job.kind} data-status={job.status} data-key={job.jobKey}>
      <td className="mem-table__kind">{jobKindLabel(job.kind)}</td>
      <td className="mem-table__title">
        {global ? (
          <span className="fb-muted">global</span>
        ) : (
          <a href={`#/thread/${job.jobKey}`} title={job.jobKey}>
            {job.threadTitle?.trim() || job.jobKey}
          </a>
        )}
      </td>
      <td>
        <span
          className={`mem-badge mem-badge--${jobStatusTone(job.status)}`}
          data-testid="memories-job-status"
        >
          {job.status}
        </span>
      </td>
      <td>
        <When at={job.finishedAt ?? job.startedAt} now={now} />
      </td>
      <td>
        <Timing job={job} now={now} />
      </td>
      <td className="mem-table__num">{job.retryRemaining}</td>
      <td className="mem-table__error">
        {job.lastError ? (
          <details className="mem-error-details">
            <summary title="Show the whole error">{firstLine}</summary>
            <pre>{job.lastError}</pre>
          </details>
        ) : (
          <span className="fb-muted">—</span>
        )}
      </td>
    </tr>
  );
}

/** Every memory job, live: each thread's extraction (running and failed first), then the consolidation. */
export function JobsTab({ running, now }: { running: boolean; now: number }) {
  const jobs = useMemoryJobs(running);
  const slow = useDelayedFlag(jobs.isPending, 300);
  const rows = jobs.data ?? [];

  if (jobs.isError) {
    return (
      <div className="state state--error" role="alert">
        <p className="state__title">Could not read the memory jobs</p>
        <p className="state__message">{errorMessage(jobs.error)}</p>
      </div>
    );
  }
  if (jobs.isPending) return slow ? <div className="mem-loading">Reading jobs…</div> : null;
  if (rows.length === 0) {
    return (
      <div className="state" data-testid="memories-jobs-empty">
        <p className="state__title">No memory jobs</p>
        <p>
          A run creates one job per thread it extracts (phase 1), and one global job for the consolidation
          (phase 2). Each is leased while it runs and retried up to three times after a failure.
        </p>
      </div>
    );
  }
  return (
    <div className="mem-table-wrap">
      <table className="mem-table" aria-label="Memory jobs" data-testid="memories-jobs">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Thread</th>
            <th scope="col">Status</th>
            <th scope="col">Last activity</th>
            <th scope="col">Lease / retry</th>
            <th scope="col" className="mem-table__num" title="Retries left">
              Retries
            </th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => (
            <Row key={`${j.kind}:${j.jobKey}`} job={j} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
