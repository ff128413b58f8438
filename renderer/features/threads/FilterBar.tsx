import { DateRangeMenu, rangeText, sortColumnLabel } from './DateRangeMenu.tsx';
import { FacetMenu, type FacetOption, type Facets } from './FacetMenu.tsx';
import { FilterChips, type FilterChip } from '../../components/FilterChips.tsx';
import { clearFilters, hasFilters, toggled, type GroupBy, type ThreadsView } from './thread-filters.ts';
import { projectName } from './thread-format.ts';
import { sourceKindClass, sourceKindLabel } from './thread-source.ts';
import type { ViewUpdate } from './use-threads-view.ts';

interface FilterBarProps {
  view: ThreadsView;
  onView: (update: ViewUpdate) => void;
}

type Facet = { value: string; count: number };
const plain = (list: Facet[]): FacetOption[] =>
  list.map((f) => ({ value: f.value, label: f.value, count: f.count }));
const plainFallback = (value: string): FacetOption => ({ value, label: value, count: null });

/** Parent folder of a cwd, shortened, as a hint beside the project name. */
function parentHint(cwd: string): string | undefined {
  const cut = cwd.replace(/[\\/]+$/, '').search(/[\\/][^\\/]*$/);
  return cut > 0 ? cwd.slice(0, cut) : undefined;
}
const projectOption = (value: string, count: number | null): FacetOption =>
  value === ''
    ? { value, label: 'No project', title: 'Threads without a working directory', count }
    : { value, label: projectName(value), title: value, hint: parentHint(value), count };

const sourceOption = (value: string, count: number | null): FacetOption => ({
  value,
  label: sourceKindLabel(value),
  count,
  icon: <span className={`menu__swatch badge--${sourceKindClass(value)}`} />,
});

const options = {
  source: (f: Facets) => f.sourceKinds.map((s) => sourceOption(s.value, s.count)),
  provider: (f: Facets) => plain(f.modelProviders),
  model: (f: Facets) => plain(f.models.filter((m) => m.value !== '')),
  project: (f: Facets) => f.cwds.map((c) => projectOption(c.value, c.count)),
  branch: (f: Facets) => plain(f.branches.filter((b) => b.value !== '')),
};

const GROUPS: { value: GroupBy; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'project', label: 'Project' },
  { value: 'day', label: 'Day' },
];

/** Filter menus, group-by control, and a chip for every active filter value. */
export function FilterBar({ view, onView }: FilterBarProps) {
  const chips: FilterChip[] = [];
  type ManyField = 'sourceKinds' | 'providers' | 'models' | 'branches';
  const many = (name: string, field: ManyField, text = (v: string) => v): void => {
    for (const value of view[field]) {
      const remove = () => onView((v) => ({ ...v, [field]: v[field].filter((x) => x !== value) }));
      chips.push({ key: `${field}:${value}`, name, text: text(value), remove });
    }
  };
  many('Source', 'sourceKinds', sourceKindLabel);
  many('Provider', 'providers');
  many('Model', 'models');
  if (view.project !== null) {
    const text = view.project ? projectName(view.project) : 'No project';
    chips.push({
      key: 'project',
      name: 'Project',
      text,
      title: view.project || undefined,
      remove: () => onView({ project: null }),
    });
  }
  many('Branch', 'branches');
  const range = rangeText(view);
  if (range) {
    const remove = () => onView({ range: null, fromDay: null, toDay: null });
    chips.push({ key: 'range', name: sortColumnLabel(view), text: range, remove });
  }

  const menu = (
    label: string,
    testId: string,
    field: ManyField,
    opts: (f: Facets) => FacetOption[],
    fallback: (value: string) => FacetOption,
  ) => (
    <FacetMenu
      label={label}
      testId={testId}
      archived={view.archived}
      selected={view[field]}
      multi
      onToggle={(value) => onView((v) => ({ ...v, [field]: toggled(v[field], value) }))}
      options={opts}
      fallback={fallback}
      searchPlaceholder={`Filter ${label.toLowerCase()}s`}
    />
  );

  return (
    <div className="filter-bar" data-testid="filter-bar">
      <div className="filter-bar__row">
        {menu('Source', 'filter-source', 'sourceKinds', options.source, (v) => sourceOption(v, null))}
        {menu('Provider', 'filter-provider', 'providers', options.provider, plainFallback)}
        {menu('Model', 'filter-model', 'models', options.model, plainFallback)}
        <FacetMenu
          label="Project"
          testId="filter-project"
          archived={view.archived}
          selected={view.project === null ? [] : [view.project]}
          multi={false}
          onToggle={(value) => onView((v) => ({ ...v, project: v.project === value ? null : value }))}
          options={options.project}
          fallback={(v) => projectOption(v, null)}
          searchPlaceholder="Filter projects"
        />
        {menu('Branch', 'filter-branch', 'branches', options.branch, plainFallback)}
        <DateRangeMenu view={view} onChange={(r) => onView(r)} />
        <div className="segmented" role="group" aria-label="Group by" data-testid="group-by">
          <span className="segmented__label">Group</span>
          {GROUPS.map((g) => (
            <button
              key={g.value}
              type="button"
              className={`segmented__item${view.group === g.value ? ' is-on' : ''}`}
              aria-pressed={view.group === g.value}
              onClick={() => onView({ group: g.value })}
              data-testid={`group-${g.value}`}
            >
              {g.label}
            </button>
          ))}
        </div>
      </div>
      <FilterChips
        chips={chips}
        onClearAll={hasFilters(view) ? () => onView(clearFilters) : null}
        testIds={{
          list: 'filter-chips',
          chip: 'filter-chip',
          remove: 'chip-remove',
          clearAll: 'clear-filters',
        }}
      />
    </div>
  );
}
