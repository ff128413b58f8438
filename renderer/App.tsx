import { Redirect, Route, Router, Switch } from 'wouter';
import { useLiveUpdates } from './api/use-events.ts';
import { useHashPath, useHashSearch } from './app/hash-location.ts';
import { NavRail } from './components/NavRail.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { Toaster } from './components/Toast.tsx';
import { FeedbackPage } from './features/feedback/FeedbackPage.tsx';
import { LogsPage } from './features/logs/LogsPage.tsx';
import { MemoriesPage } from './features/memories/MemoriesPage.tsx';
import { ThreadPage } from './features/thread/ThreadPage.tsx';
import { ThreadsPage } from './features/threads/ThreadsPage.tsx';

/**
 * Routes (hash-based, query inside the hash):
 *   #/threads (and /)         the Threads page
 *   #/thread/<id>?at=N&q=T    one thread; `at` scrolls to transcript position N, `q` highlights T
 *   #/logs?source=&level=&thread=&sub=1&process=&target=&q=&from=&to=&around=   the Logs page
 *   #/feedback                the feedback history and "New feedback"
 *   #/memories?tab=files|outputs|jobs|settings&file=<rel path>&thread=<id>   the Memories page
 */
export function App() {
  useLiveUpdates();
  return (
    <Router hook={useHashPath} searchHook={useHashSearch}>
      <div className="app">
        <NavRail />
        <main className="app__page">
          <Switch>
            <Route path="/" component={ThreadsPage} />
            <Route path="/threads" component={ThreadsPage} />
            <Route path="/thread/:id">{(params) => <ThreadPage id={params.id} />}</Route>
            <Route path="/logs" component={LogsPage} />
            <Route path="/feedback" component={FeedbackPage} />
            <Route path="/memories" component={MemoriesPage} />
            <Route>
              <Redirect to="/threads" replace />
            </Route>
          </Switch>
        </main>
        <StatusBar />
        <Toaster />
      </div>
    </Router>
  );
}
