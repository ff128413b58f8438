import type { ListThreadsInput } from '../../preload/contract/index.ts';

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
  },
} as const;
