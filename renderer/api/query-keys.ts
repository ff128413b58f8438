import type { ListThreadsInput, LogFilter, LogSource } from '../../preload/contract/index.ts';

/** The filters a thread list is keyed by (everything but paging). */
export type ThreadFilters = Omit<ListThreadsInput, 'cursor' | 'limit'>;

/** Hierarchical keys: invalidating a prefix (e.g. `threads.all`) refreshes everything below it. */
export const queryKeys = {
  app: {
    info: ['app', 'info'] as const,
  },
  ingest: {
    all: ['ingest'] as const,
    status: ['ingest', 'status'] as const,
  },
  threads: {
    all: ['threads'] as const,
    lists: ['threads', 'list'] as const,
    list: (filters: ThreadFilters) => ['threads', 'list', filters] as const,
    detail: (id: string) => ['threads', 'detail', id] as const,
    facets: (archived: boolean) => ['threads', 'facets', archived] as const,
  },
  /** Under `threads` so a thread change (e.g. a growing rollout) refreshes its open transcript too. */
  transcript: {
    all: (id: string) => ['threads', 'transcript', id] as const,
    page: (id: string, page: number) => ['threads', 'transcript', id, 'page', page] as const,
    outline: (id: string) => ['threads', 'transcript', id, 'outline'] as const,
    find: (id: string, query: string) => ['threads', 'transcript', id, 'find', query] as const,
    relatives: (id: string) => ['threads', 'transcript', id, 'relatives'] as const,
  },
  search: {
    all: ['search'] as const,
    status: ['search', 'status'] as const,
    query: (query: string) => ['search', 'query', query] as const,
  },
  logs: {
    all: ['logs'] as const,
    sources: ['logs', 'sources'] as const,
    query: (source: LogSource, filter: LogFilter) => ['logs', 'query', source, filter] as const,
    histograms: ['logs', 'histogram'] as const,
    histogram: (source: LogSource, filter: LogFilter, buckets: number) =>
      ['logs', 'histogram', source, filter, buckets] as const,
  },
  feedback: {
    all: ['feedback'] as const,
    endpoint: ['feedback', 'endpoint'] as const,
    list: ['feedback', 'list'] as const,
  },
  memories: {
    all: ['memories'] as const,
    status: ['memories', 'status'] as const,
    jobs: ['memories', 'jobs'] as const,
    outputs: ['memories', 'outputs'] as const,
    output: (threadId: string) => ['memories', 'output', threadId] as const,
    files: ['memories', 'files'] as const,
    file: (path: string) => ['memories', 'file', path] as const,
  },
} as const;
