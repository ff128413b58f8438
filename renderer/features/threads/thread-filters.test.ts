import { describe, expect, it } from 'vitest';
import {
  clearFilters,
  DEFAULT_VIEW,
  hasFilters,
  listFilters,
  parseView,
  rangeBounds,
  serializeView,
  toggled,
} from './thread-filters.ts';

const secs = (d: Date): number => d.getTime() / 1000;

describe('threads view in the URL', () => {
  it('round-trips every field, repeating multi-value params', () => {
    const view = {
      ...DEFAULT_VIEW,
      sortKey: 'created_at' as const,
      archived: true,
      sourceKinds: ['exec', 'subagent'],
      providers: ['openai'],
      models: ['gpt-5'],
      project: '/home/a b/app',
      branches: ['feat/x'],
      fromDay: '2026-11-01',
      toDay: '2026-11-30',
      group: 'project' as const,
      q: 'fix it',
      scope: 'content' as const,
    };
    const params = serializeView(view);
    expect(params.getAll('source')).toEqual(['exec', 'subagent']);
    expect(params.get('sort')).toBe('created');
    expect(parseView(new URLSearchParams(params.toString()))).toEqual(view);
  });

  it('leaves defaults out, so a plain view is a plain URL', () => {
    expect(serializeView(DEFAULT_VIEW).toString()).toBe('');
    expect(parseView(new URLSearchParams(''))).toEqual(DEFAULT_VIEW);
  });

  it('keeps an empty project (threads without a cwd) distinct from no project filter', () => {
    const view = parseView(new URLSearchParams('project='));
    expect(view.project).toBe('');
    expect(hasFilters(view)).toBe(true);
    expect(listFilters(view, '', new Date(2026, 0, 1)).cwd).toBe('');
  });

  it('ignores malformed values instead of failing', () => {
    const view = parseView(
      new URLSearchParams('group=year&range=5y&from=yesterday&sort=x&source=cli&source=cli'),
    );
    expect(view.group).toBe('none');
    expect(view.range).toBeNull();
    expect(view.fromDay).toBeNull();
    expect(view.sortKey).toBe('updated_at');
    expect(view.sourceKinds).toEqual(['cli']);
  });

  it('a preset wins over custom days when both are in a link', () => {
    const params = serializeView({ ...DEFAULT_VIEW, range: '7d', fromDay: '2026-01-01' });
    expect(params.has('from')).toBe(false);
    expect(params.get('range')).toBe('7d');
  });
});

describe('date ranges (local days, on the sort column)', () => {
  const today = new Date(2026, 10, 30, 15, 45);

  it('presets start at local midnight, counting today', () => {
    expect(rangeBounds({ ...DEFAULT_VIEW, range: 'today' }, today)).toEqual({
      from: secs(new Date(2026, 10, 30)),
    });
    expect(rangeBounds({ ...DEFAULT_VIEW, range: '7d' }, today)).toEqual({
      from: secs(new Date(2026, 10, 24)),
    });
    expect(rangeBounds({ ...DEFAULT_VIEW, range: '30d' }, today)).toEqual({
      from: secs(new Date(2026, 10, 1)),
    });
  });

  it('custom days include the whole last day', () => {
    const view = { ...DEFAULT_VIEW, fromDay: '2026-11-01', toDay: '2026-11-02' };
    expect(rangeBounds(view, today)).toEqual({
      from: secs(new Date(2026, 10, 1)),
      to: secs(new Date(2026, 10, 3)) - 1,
    });
    expect(rangeBounds({ ...DEFAULT_VIEW, toDay: '2026-11-02' }, today)).toEqual({
      to: secs(new Date(2026, 10, 3)) - 1,
    });
  });
});

describe('list filters', () => {
  it('maps the view to the list input, leaving out what is not set', () => {
    const view = {
      ...DEFAULT_VIEW,
      sourceKinds: ['exec'],
      providers: ['openai'],
      models: ['gpt-5'],
      branches: ['main'],
      range: 'today' as const,
    };
    const today = new Date(2026, 10, 30, 9);
    expect(listFilters(view, 'flaky', today)).toEqual({
      sortKey: 'updated_at',
      archived: false,
      sourceKinds: ['exec'],
      modelProviders: ['openai'],
      models: ['gpt-5'],
      gitBranches: ['main'],
      searchTerm: 'flaky',
      from: secs(new Date(2026, 10, 30)),
    });
    expect(listFilters(DEFAULT_VIEW, '', today)).toEqual({ sortKey: 'updated_at', archived: false });
    // Project grouping is ordered on the server; day grouping follows the plain list order.
    expect(listFilters({ ...DEFAULT_VIEW, group: 'project' }, '', today).groupBy).toBe('project');
    expect(listFilters({ ...DEFAULT_VIEW, group: 'day' }, '', today)).not.toHaveProperty('groupBy');
  });

  it('clears filters but keeps sort, grouping, archived and search', () => {
    const view = {
      ...DEFAULT_VIEW,
      models: ['x'],
      range: '7d' as const,
      group: 'day' as const,
      q: 'a',
      archived: true,
    };
    const cleared = clearFilters(view);
    expect(hasFilters(cleared)).toBe(false);
    expect(cleared).toMatchObject({ group: 'day', q: 'a', archived: true });
  });

  it('toggles a value in and out', () => {
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
  });
});
