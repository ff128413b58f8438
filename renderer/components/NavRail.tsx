import type { ComponentType, SVGProps } from 'react';
import { useLocation } from 'wouter';
import { FeedbackIcon } from '../features/feedback/feedback-icons.tsx';
import { LogsIcon } from '../features/logs/log-icons.tsx';
import { MemoriesIcon } from '../features/memories/memories-icons.tsx';
import { LogoMark, ThreadsIcon } from './icons.tsx';

interface Page {
  path: string;
  label: string;
  Icon: ComponentType<SVGProps<SVGSVGElement>>;
}

/** Threads is the home page: current for every route that is not another page of the rail. */
const PAGES: readonly Page[] = [
  { path: '/threads', label: 'Threads', Icon: ThreadsIcon },
  { path: '/memories', label: 'Memories', Icon: MemoriesIcon },
  { path: '/logs', label: 'Logs', Icon: LogsIcon },
  { path: '/feedback', label: 'Feedback', Icon: FeedbackIcon },
];

/** The app's left rail. Pages join it as they land. */
export function NavRail() {
  const [path] = useLocation();
  const current = PAGES.find((p) => p.path !== '/threads' && p.path === path)?.path ?? '/threads';
  return (
    <nav className="nav-rail" aria-label="Main" data-testid="nav-rail">
      <div className="nav-rail__logo" title="Threadscope">
        <LogoMark />
      </div>
      {PAGES.map(({ path: to, label, Icon }) => (
        <a
          key={to}
          className="nav-rail__item"
          href={`#${to}`}
          aria-current={to === current ? 'page' : undefined}
          title={label}
          data-testid={`nav-${to.slice(1)}`}
        >
          <Icon width={18} height={18} />
          <span className="nav-rail__label">{label}</span>
        </a>
      ))}
    </nav>
  );
}
