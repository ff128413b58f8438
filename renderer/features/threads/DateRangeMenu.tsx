import * as Popover from '@radix-ui/react-popover';
import { useState } from 'react';
import { ChevronDownIcon } from './filter-icons.tsx';
import { RANGE_LABELS, type RangePreset, type ThreadsView } from './thread-filters.ts';

interface DateRangeMenuProps {
  view: ThreadsView;
  onChange: (range: Pick<ThreadsView, 'range' | 'fromDay' | 'toDay'>) => void;
}

const PRESETS: RangePreset[] = ['today', '7d', '30d'];

/** "Updated" or "Created": the date filter applies to the column the list is sorted by. */
export function sortColumnLabel(view: ThreadsView): string {
  return view.sortKey === 'created_at' ? 'Created' : 'Updated';
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
const formatDay = (value: string): string => {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return dayFormat.format(new Date(y, m - 1, d));
};

/** "Last 7 days", "Nov 1, 2026 – Nov 30, 2026", "since Nov 1, 2026", or null when no range is set. */
export function rangeText(view: ThreadsView): string | null {
  if (view.range) return RANGE_LABELS[view.range];
  if (view.fromDay && view.toDay) {
    return view.fromDay === view.toDay
      ? formatDay(view.fromDay)
      : `${formatDay(view.fromDay)} – ${formatDay(view.toDay)}`;
  }
  if (view.fromDay) return `since ${formatDay(view.fromDay)}`;
  if (view.toDay) return `until ${formatDay(view.toDay)}`;
  return null;
}

/** Date range presets plus a custom from/to, on the current sort column, in local days. */
export function DateRangeMenu({ view, onChange }: DateRangeMenuProps) {
  const [open, setOpen] = useState(false);
  const text = rangeText(view);
  const column = sortColumnLabel(view);
  const custom = !view.range && (view.fromDay !== null || view.toDay !== null);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        className={`filter-button${text ? ' is-active' : ''}`}
        data-testid="filter-date"
        aria-label={text ? `Date filter, ${column}: ${text}` : 'Date filter'}
      >
        <span>Date</span>
        {text && <span className="filter-button__count">1</span>}
        <ChevronDownIcon className="filter-button__chevron" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="menu menu--date" align="start" sideOffset={4} collisionPadding={8}>
          <div className="menu__body">
            <p className="menu__title">{column}</p>
            <div className="menu__list" role="group" aria-label="Date presets">
              {[null, ...PRESETS].map((preset) => {
                const on = preset === null ? !text : view.range === preset;
                return (
                  <button
                    key={preset ?? 'any'}
                    type="button"
                    className={`menu__option${on ? ' is-on' : ''}`}
                    aria-pressed={on}
                    onClick={() => {
                      onChange({ range: preset, fromDay: null, toDay: null });
                      setOpen(false);
                    }}
                    data-testid="date-preset"
                  >
                    <span className="menu__check is-radio">{on && <span className="menu__dot" />}</span>
                    <span className="menu__label">{preset ? RANGE_LABELS[preset] : 'Any time'}</span>
                  </button>
                );
              })}
            </div>
            <fieldset className={`menu__custom${custom ? ' is-on' : ''}`}>
              <legend>Custom</legend>
              <label>
                <span>From</span>
                <input
                  type="date"
                  value={view.fromDay ?? ''}
                  max={view.toDay ?? undefined}
                  onChange={(e) =>
                    onChange({ range: null, fromDay: e.target.value || null, toDay: view.toDay })
                  }
                  data-testid="date-from"
                />
              </label>
              <label>
                <span>To</span>
                <input
                  type="date"
                  value={view.toDay ?? ''}
                  min={view.fromDay ?? undefined}
                  onChange={(e) =>
                    onChange({ range: null, fromDay: view.fromDay, toDay: e.target.value || null })
                  }
                  data-testid="date-to"
                />
              </label>
            </fieldset>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
