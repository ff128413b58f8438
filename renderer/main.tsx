import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';
// Feature styles after the shared ones (same cascade order as one file).
import './features/threads/threads.css';
import './features/thread-actions/thread-actions.css';
import './features/thread/thread.css';
import './features/search/search.css';
import './features/logs/logs.css';
import './features/feedback/feedback.css';
import './features/memories/memories.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // Calls are local IPC/loopback: a failure is real, and retrying only delays the error. Freshness
    // comes from main's invalidation events, not from focus refetches.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 10_000 },
    mutations: { retry: false },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
