import * as Popover from '@radix-ui/react-popover';
import { useState } from 'react';
import { ChevronDownIcon } from '../threads/filter-icons.tsx';
import { ClockIcon } from './log-icons.tsx';
import { fromLocalInput, rangeLabel, toLocalInput } from './log-format.ts';

interface TimeRangeMenuProps {
  fromMs: number | null;
  toMs: number | null;
  onChange: (range: { fromMs: number | null; toMs: number | null }) => void;
}

const PRESETS: { label: string; ms: number }[] = [
  { label: 'Last 5 minutes', ms: 5 * 60_000 },
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
];

/** Presets ("last hour" = since an hour ago, open-ended so live rows keep coming) and a custom from/to. */
export function TimeRangeMenu({ fromMs, toMs, onChange }: TimeRangeMenuProps) {
  const [open, setOpen] = useState(false);
  const set = fromMs !== null || toMs !== null;
  const text = set ? rangeLabel(fromMs, toMs) : null;
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        className={`filter-button${set ? ' is-active' : ''}`}
        data-testid="logs-time"
        aria-label={text ? `Time range: ${text}` : 'Time range'}
      >
        <ClockIcon />
        <span>Time</span>
        {set && <span className="filter-button__count">1</span>}
        <ChevronDownIcon className="filter-button__chevron" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className="menu menu--date menu--logs-time"
          align="start"
          sideOffset={4}
          collisionPadding={8}
        >
          <div className="menu__body">
            <div className="menu__list" role="group" aria-label="Time presets">
              {[{ label: 'Any time', ms: 0 }, ...PRESETS].map((preset) => {
                const on = preset.ms === 0 && !set;
                return (
                  <button
                    key={preset.label}
                    type="button"
                    className={`menu__option${on ? ' is-on' : ''}`}
                    aria-pressed={on}
                    onClick={() => {
                      onChange(
                        preset.ms === 0
                          ? { fromMs: null, toMs: null }
                          : { fromMs: Date.now() - preset.ms, toMs: null },
                      );
                      setOpen(false);
                    }}
                    data-testid="logs-time-preset"
                  >
                    <span className="menu__check is-radio">{on && <span className="menu__dot" />}</span>
                    <span className="menu__label">{preset.label}</span>
                  </button>
                );
              })}
            </div>
            <fieldset className={`menu__custom${set ? ' is-on' : ''}`}>
              <legend>Custom (local time)</legend>
              <label>
                <span>From</span>
                <input
                  type="datetime-local"
                  step={1}
                  value={toLocalInput(fromMs)}
                  onChange={(e) => onChange({ fromMs: fromLocalInput(e.target.value), toMs })}
                  data-testid="logs-time-from"
                />
              </label>
              <label>
                <span>To</span>
                <input
                  type="datetime-local"
                  step={1}
                  value={toLocalInput(toMs)}
                  onChange={(e) => {
                    // Inclusive to the end of the chosen second.
                    const to = fromLocalInput(e.target.value);
                    onChange({ fromMs, toMs: to === null ? null : to + 999 });
                  }}
                  data-testid="logs-time-to"
                />
              </label>
            </fieldset>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
