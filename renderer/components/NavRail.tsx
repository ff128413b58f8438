import { LogoMark, ThreadsIcon } from './icons.tsx';

/** The app's left rail. Pages join it as they land; only Threads exists today. */
export function NavRail() {
  return (
    <nav className="nav-rail" aria-label="Main" data-testid="nav-rail">
      <div className="nav-rail__logo" title="Threadscope">
        <LogoMark />
      </div>
      <a
        className="nav-rail__item"
        href="#/threads"
        aria-current="page"
        title="Threads"
        data-testid="nav-threads"
      >
        <ThreadsIcon width={18} height={18} />
        <span className="nav-rail__label">Threads</span>
      </a>
    </nav>
  );
}
