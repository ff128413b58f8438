import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'wouter';
import { parseView, serializeView, type ThreadsView } from './thread-filters.ts';

export type ViewUpdate = Partial<ThreadsView> | ((view: ThreadsView) => ThreadsView);

/**
 * The Threads page's view (filters, grouping, sort, search) kept in the hash query, so a view is a link
 * and survives a reload. Updates replace the history entry: tweaking a filter is not a navigation.
 */
export function useThreadsView(): [ThreadsView, (update: ViewUpdate) => void] {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parseView(params), [params]);
  const update = useCallback(
    (next: ViewUpdate) =>
      setParams(
        (prev) => {
          const current = parseView(prev);
          return serializeView(typeof next === 'function' ? next(current) : { ...current, ...next });
        },
        { replace: true },
      ),
    [setParams],
  );
  return [view, update];
}
