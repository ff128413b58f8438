import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'wouter';
import { useDebouncedValue } from '../threads/use-debounced-value.ts';
import { parseLogsView, serializeLogsView, type LogsView } from './log-view.ts';

export type LogsViewUpdate = Partial<LogsView> | ((view: LogsView) => LogsView);

/**
 * The Logs page's view kept in the hash query, so a filter is a link and survives a reload. Updates
 * replace the history entry: narrowing a filter is not a navigation.
 */
export function useLogsView(): [LogsView, (update: LogsViewUpdate) => void] {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parseLogsView(params), [params]);
  const update = useCallback(
    (next: LogsViewUpdate) =>
      setParams(
        (prev) => {
          const current = parseLogsView(prev);
          return serializeLogsView(typeof next === 'function' ? next(current) : { ...current, ...next });
        },
        { replace: true },
      ),
    [setParams],
  );
  return [view, update];
}

/**
 * A text input backed by a URL value: typing is instant, the URL (and so the query) follows once the
 * text settles; a link, Back or "clear filters" brings a different value in.
 */
export function useUrlText(
  urlValue: string,
  write: (value: string) => void,
  delayMs: number,
): [text: string, setText: (value: string) => void] {
  const [text, setText] = useState(urlValue);
  const settled = useDebouncedValue(text.trim(), delayMs);
  useEffect(() => {
    if (settled !== urlValue) write(settled);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the settled text drives this write
  }, [settled]);
  const [lastUrl, setLastUrl] = useState(urlValue);
  if (urlValue !== lastUrl) {
    setLastUrl(urlValue);
    // The echo of this hook's own write (urlValue === settled) is not a value from outside: the write
    // runs in an effect after the text settled, so more keys may have been typed by the time it arrives,
    // and taking the echo as the text would drop them.
    if (urlValue !== settled && urlValue !== text.trim()) setText(urlValue);
  }
  return [text, setText];
}
