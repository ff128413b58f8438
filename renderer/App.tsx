import { useLiveUpdates } from './api/use-events.ts';
import { NavRail } from './components/NavRail.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { ThreadsPage } from './features/threads/ThreadsPage.tsx';

export function App() {
  useLiveUpdates();
  return (
    <div className="app">
      <NavRail />
      <main className="app__page">
        <ThreadsPage />
      </main>
      <StatusBar />
    </div>
  );
}
