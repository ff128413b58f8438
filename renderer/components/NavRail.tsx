import { useLocation } from 'wouter';
import { FeedbackIcon } from '../features/feedback/feedback-icons.tsx';
import { LogsIcon } from '../features/logs/log-icons.tsx';
import { MemoriesIcon } from '../features/memories/memories-icons.tsx';
import { LogoMark, ThreadsIcon } from './icons.tsx';

/** The app's left rail. Pages join it as they land. */
export function NavRail() {
  const [path] = useLocation();
  const onLogs = path === '/logs';
  const onFeedback = path === '/feedback';
  const onMemories = path === '/memories';
  return (
    <nav className="nav-rail" aria-label="Main" data-testid="nav-rail">
      <div className="nav-rail__logo" title="Threadscope">
        <LogoMark />
      </div>
      <a
        className="nav-rail__item"
        href="#/threads"
        aria-current={onLogs || onFeedback || onMemories ? undefined : 'page'}
        title="Threads"
        data-testid="nav-threads"
      >
        <ThreadsIcon width={18} height={18} />
        <span className="nav-rail__label">Threads</span>
      </a>
      <a
        className="nav-rail__item"
        href="#/memories"
        aria-current={onMemories ? 'page' : undefined}
        title="Memories"
        data-testid="nav-memories"
      >
        <MemoriesIcon width={18} height={18} />
        <span className="nav-rail__label">Memories</span>
      </a>
      <a
        className="nav-rail__item"
        href="#/logs"
        aria-current={onLogs ? 'page' : undefined}
        title="Logs"
        data-testid="nav-logs"
      >
        <LogsIcon width={18} height={18} />
        <span className="nav-rail__label">Logs</span>
      </a>
      <a
        className="nav-rail__item"
        href="#/feedback"
        aria-current={onFeedback ? 'page' : undefined}
        title="Feedback"
        data-testid="nav-feedback"
      >
        <FeedbackIcon width={18} height={18} />
        <span className="nav-rail__label">Feedback</span>
      </a>
    </nav>
  );
}
