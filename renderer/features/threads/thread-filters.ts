import type { SortKey } from '../../../preload/contract/index.ts';
import type { ThreadFilters } from '../../api/query-keys.ts';

export type GroupBy = 'none' | 'project' | 'day';
export type RangePreset = 'today' | '7d' | '30d';
export type SearchScope = 'titles' | 'content';

/** Everything the Threads page shows, as kept in the hash query (`#/threads?source=exec&group=day`). */
export interface ThreadsView {
  sortKey: SortKey;
  archived: boolean;
  sourceKinds: string[];
  providers: string[];
  models: string[];
  /** Exact cwd; `''` is a real value (threads without a working directory). */
  project: string | null;
  branches: string[];
  range: RangePreset | null;
  /** Custom range, local calendar days `YYYY-MM-DD`, both inclusive; used when `range` is null. */
  fromDay: string | null;
  toDay: string | null;
  group: GroupBy;
  q: string;
  scope: SearchScope;
}

export const DEFAULT_VIEW: ThreadsView = {
  sortKey: 'updated_at',
  archived: false,
  sourceKinds: [],
  providers: [],
  models: [],
  project: null,
  branches: [],
  range: null,
  fromDay: null,
  toDay: null,
  group: 'none',
  q: '',
  scope: 'titles',
};

export const RANGE_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (v: string | null): string | null => (v !== null && DAY.test(v) ? v : null);
const distinct = (values: string[]): string[] => [...new Set(values)];

/** Reads the view from URL params; unknown or malformed values fall back to the defaults. */
export function parseView(params: URLSearchParams): ThreadsView {
  const range = params.get('range');
  const group = params.get('group');
  const project = params.get('project');
  return {
    sortKey: params.get('sort') === 'created' ? 'created_at' : 'updated_at',
    archived: params.get('archived') === '1',
    sourceKinds: distinct(params.getAll('source')),
    providers: distinct(params.getAll('provider')),
    models: distinct(params.getAll('model')),
    project: project,
    branches: distinct(params.getAll('branch')),
    range: range === 'today' || range === '7d' || range === '30d' ? range : null,
    fromDay: day(params.get('from')),
    toDay: day(params.get('to')),
    group: group === 'project' || group === 'day' ? group : 'none',
    q: params.get('q') ?? '',
    scope: params.get('scope') === 'content' ? 'content' : 'titles',
  };
}

/** The view as URL params, defaults left out so a plain `#/threads` stays plain. */
export function serializeView(view: ThreadsView): URLSearchParams {
  const p = new URLSearchParams();
  const many = (name: string, values: string[]): void => values.forEach((v) => p.append(name, v));
  many('source', view.sourceKinds);
  many('provider', view.providers);
  many('model', view.models);
  if (view.project !== null) p.set('project', view.project);
  many('branch', view.branches);
  if (view.range) p.set('range', view.range);
  else {
    if (view.fromDay) p.set('from', view.fromDay);
    if (view.toDay) p.set('to', view.toDay);
  }
  if (view.group !== 'none') p.set('group', view.group);
  if (view.sortKey === 'created_at') p.set('sort', 'created');
  if (view.archived) p.set('archived', '1');
  if (view.q) p.set('q', view.q);
  if (view.scope === 'content') p.set('scope', 'content');
  return p;
}

/** Local midnight of `date` shifted by `days` (calendar days, so DST changes do not skew it). */
export function startOfDay(date: Date, days = 0): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

function parseDay(value: string): Date {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** Local `YYYY-MM-DD` of a date. */
export function dayKey(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The date filter as inclusive epoch-second bounds on the sort column. Presets count whole local days
 * ("Last 7 days" = today and the 6 before), so the bounds, and the query key, only change at midnight.
 */
export function rangeBounds(view: ThreadsView, today: Date): { from?: number; to?: number } {
  const secs = (d: Date): number => Math.floor(d.getTime() / 1000);
  if (view.range) {
    const back = view.range === 'today' ? 0 : view.range === '7d' ? -6 : -29;
    return { from: secs(startOfDay(today, back)) };
  }
  const out: { from?: number; to?: number } = {};
  if (view.fromDay) out.from = secs(parseDay(view.fromDay));
  if (view.toDay) out.to = secs(startOfDay(parseDay(view.toDay), 1)) - 1;
  return out;
}

/** The list query for a view; `searchTerm` is the debounced title search. */
export function listFilters(view: ThreadsView, searchTerm: string, today: Date): ThreadFilters {
  const f: ThreadFilters = { sortKey: view.sortKey, archived: view.archived };
  if (view.sourceKinds.length) f.sourceKinds = view.sourceKinds;
  if (view.providers.length) f.modelProviders = view.providers;
  if (view.models.length) f.models = view.models;
  if (view.project !== null) f.cwd = view.project;
  if (view.branches.length) f.gitBranches = view.branches;
  if (searchTerm) f.searchTerm = searchTerm;
  // Project groups are ordered on the server, so they arrive whole, page after page, at any list size.
  if (view.group === 'project') f.groupBy = 'project';
  return { ...f, ...rangeBounds(view, today) };
}

/** True when a filter (not sort, group, archived or search) narrows the list. */
export function hasFilters(view: ThreadsView): boolean {
  return (
    view.sourceKinds.length > 0 ||
    view.providers.length > 0 ||
    view.models.length > 0 ||
    view.project !== null ||
    view.branches.length > 0 ||
    view.range !== null ||
    view.fromDay !== null ||
    view.toDay !== null
  );
}

/** The view with every filter removed (sort, grouping, archived and search kept). */
export function clearFilters(view: ThreadsView): ThreadsView {
  return {
    ...view,
    sourceKinds: [],
    providers: [],
    models: [],
    project: null,
    branches: [],
    range: null,
    fromDay: null,
    toDay: null,
  };
}

/** `values` with `value` added, or removed when present. */
export function toggled(values: readonly string[], value: string): string[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}
