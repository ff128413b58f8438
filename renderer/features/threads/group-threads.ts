import type { SortKey, Thread } from '../../../preload/contract/index.ts';
import { dayKey, startOfDay, type GroupBy } from './thread-filters.ts';
import { projectName } from './thread-format.ts';

export interface HeaderRow {
  kind: 'header';
  key: string;
  label: string;
  /** Hover text: the full path of a project. */
  title: string | undefined;
  count: number;
  /** More threads of this group may be in pages not loaded yet. */
  partial: boolean;
}
export interface ThreadListRow {
  kind: 'thread';
  key: string;
  thread: Thread;
}
export type ListRow = HeaderRow | ThreadListRow;

const weekdayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
});
const weekdayYearFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});

/** "Today", "Yesterday", "Mon, Nov 30", with the year when it is not the current one. */
export function dayLabel(day: Date, now: Date): string {
  const key = dayKey(day);
  if (key === dayKey(now)) return 'Today';
  if (key === dayKey(startOfDay(now, -1))) return 'Yesterday';
  return day.getFullYear() === now.getFullYear() ? weekdayFormat.format(day) : weekdayYearFormat.format(day);
}

const threadRow = (thread: Thread): ThreadListRow => ({ kind: 'thread', key: thread.id, thread });

/**
 * The flat row model of the virtual list: thread rows with group header rows in between. Day groups follow
 * the list order (newest first, by the sort column, local days); project groups follow it too, as the list
 * grouped by project comes ordered by cwd (`groupBy: 'project'`). `complete` says whether every page is
 * loaded: if not, the last group may still grow, and its count says so.
 */
export function groupThreads(
  items: readonly Thread[],
  group: GroupBy,
  sortKey: SortKey,
  now: Date,
  complete: boolean,
): ListRow[] {
  if (group === 'none') return items.map(threadRow);
  if (group === 'day') {
    const rows: ListRow[] = [];
    let header: HeaderRow | null = null;
    // The current day as [start, end) epoch seconds: a Date is built once per day, not once per thread.
    let start = 0;
    let end = -1;
    const seen = new Set<string>();
    for (const thread of items) {
      const ts = sortKey === 'created_at' ? thread.createdAt : thread.updatedAt;
      if (!header || ts < start || ts >= end) {
        const date = new Date(ts * 1000);
        const key = dayKey(date);
        start = startOfDay(date).getTime() / 1000;
        end = startOfDay(date, 1).getTime() / 1000;
        const repeat = seen.has(key);
        seen.add(key);
        header = {
          kind: 'header',
          // Stable across refetches, and unique even if a day were seen twice (items out of order).
          key: repeat ? `day:${key}#${rows.length}` : `day:${key}`,
          label: dayLabel(date, now),
          title: undefined,
          count: 0,
          partial: false,
        };
        rows.push(header);
      }
      header.count += 1;
      rows.push(threadRow(thread));
    }
    if (header && !complete) header.partial = true;
    return rows;
  }
  // Gathered by cwd, so a project split across pages (or items not in cwd order) still gets one header.
  const byProject = new Map<string, Thread[]>();
  for (const thread of items) {
    const list = byProject.get(thread.cwd);
    if (list) list.push(thread);
    else byProject.set(thread.cwd, [thread]);
  }
  const rows: ListRow[] = [];
  let header: HeaderRow | null = null;
  for (const [cwd, threads] of byProject) {
    header = {
      kind: 'header',
      key: `project:${cwd}`,
      label: cwd ? projectName(cwd) : 'No project',
      title: cwd || undefined,
      count: threads.length,
      partial: false,
    };
    rows.push(header);
    for (const thread of threads) rows.push(threadRow(thread));
  }
  if (header && !complete) header.partial = true;
  return rows;
}
