import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'wouter';

export const TABS = ['files', 'outputs', 'jobs', 'settings'] as const;
export type MemoriesTab = (typeof TABS)[number];

/** `#/memories?tab=…&file=<rel path>&thread=<id>`: the tab, the open file, the open output. */
export interface MemoriesView {
  tab: MemoriesTab;
  file: string | null;
  thread: string | null;
}

const isTab = (v: string | null): v is MemoriesTab => TABS.includes(v as MemoriesTab);

/** A link with only `file=` opens the Files tab; only `thread=`, the Outputs tab. */
export function parseMemoriesView(params: URLSearchParams): MemoriesView {
  const file = params.get('file') || null;
  const thread = params.get('thread') || null;
  const tab = params.get('tab');
  return {
    tab: isTab(tab) ? tab : file === null && thread !== null ? 'outputs' : 'files',
    file,
    thread,
  };
}

export function serializeMemoriesView(view: MemoriesView): URLSearchParams {
  const p = new URLSearchParams();
  if (view.tab !== 'files') p.set('tab', view.tab);
  if (view.file !== null) p.set('file', view.file);
  if (view.thread !== null) p.set('thread', view.thread);
  return p;
}

/** The view in the hash query; every change is a history entry, so Back returns to the last file or tab. */
export function useMemoriesView(): [MemoriesView, (patch: Partial<MemoriesView>) => void] {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parseMemoriesView(params), [params]);
  const update = useCallback(
    (patch: Partial<MemoriesView>) =>
      setParams((prev) => serializeMemoriesView({ ...parseMemoriesView(prev), ...patch })),
    [setParams],
  );
  return [view, update];
}
