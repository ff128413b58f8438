import { useState, type KeyboardEvent } from 'react';
import { LOG_LEVELS, type LogLevelName } from '../../../preload/contract/index.ts';
import { FilterChips, type FilterChip } from '../../components/FilterChips.tsx';
import { rangeLabel, shortProcess, shortThreadId } from './log-format.ts';
import { clearLogFilters, hasLogFilters, type LogsView } from './log-view.ts';
import { TimeRangeMenu } from './TimeRangeMenu.tsx';
import type { LogsViewUpdate } from './use-logs-view.ts';

interface LogsFilterBarProps {
  view: LogsView;
  onView: (update: LogsViewUpdate) => void;
  /** The target box's live text (debounced into the URL by the page). */
  target: string;
  onTarget: (value: string) => void;
  /** This process's uuid when showing Threadscope's own logs ("this run" shortcut). */
  currentProcess: string | null;
}

const LEVEL_OPTIONS: { value: LogLevelName | ''; label: string }[] = [
  { value: '', label: 'All levels' },
  ...LOG_LEVELS.slice(1).map((l) => ({
    value: l,
    label: l === 'ERROR' ? 'Error only' : `${l[0]}${l.slice(1).toLowerCase()} and above`,
  })),
];

/** An input that applies its value on Enter (exact ids: no point querying on every keystroke). */
function CommitInput(props: {
  placeholder: string;
  label: string;
  testId: string;
  onCommit: (value: string) => void;
  width: number;
}) {
  const [value, setValue] = useState('');
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter' && value.trim()) {
      props.onCommit(value.trim());
      setValue('');
      e.preventDefault();
    } else if (e.key === 'Escape' && value) {
      setValue('');
      e.preventDefault();
    }
  };
  return (
    <input
      className="logs-input mono"
      style={{ width: props.width }}
      placeholder={props.placeholder}
      aria-label={props.label}
      title={`${props.label} (Enter to apply)`}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={onKeyDown}
      spellCheck={false}
      autoComplete="off"
      data-testid={props.testId}
    />
  );
}

/** Level, thread (+ sub-agents), process, target and time filters, and a chip per active filter. */
export function LogsFilterBar({ view, onView, target, onTarget, currentProcess }: LogsFilterBarProps) {
  const chips: FilterChip[] = [];
  if (view.level) {
    chips.push({
      key: 'level',
      name: 'Level',
      text: view.level === 'ERROR' ? 'ERROR' : `≥ ${view.level}`,
      remove: () => onView({ level: null }),
    });
  }
  for (const id of view.threads) {
    chips.push({
      key: `thread:${id}`,
      name: 'Thread',
      text: `${shortThreadId(id)}${view.sub ? ' + sub-agents' : ''}`,
      title: id,
      remove: () => onView((v) => ({ ...v, threads: v.threads.filter((t) => t !== id) })),
    });
  }
  if (view.process) {
    chips.push({
      key: 'process',
      name: 'Process',
      text: view.process === currentProcess ? 'this run' : shortProcess(view.process),
      title: view.process,
      remove: () => onView({ process: '' }),
    });
  }
  if (view.target) {
    chips.push({
      key: 'target',
      name: 'Target',
      text: `contains “${view.target}”`,
      remove: () => onView({ target: '' }),
    });
  }
  if (view.q) {
    chips.push({ key: 'q', name: 'Message', text: `contains “${view.q}”`, remove: () => onView({ q: '' }) });
  }
  if (view.fromMs !== null || view.toMs !== null) {
    chips.push({
      key: 'time',
      name: 'Time',
      text: rangeLabel(view.fromMs, view.toMs),
      remove: () => onView({ fromMs: null, toMs: null }),
    });
  }

  return (
    <div className="filter-bar logs-filters" data-testid="logs-filters">
      <div className="filter-bar__row">
        <label className="select logs-select" title="Minimum level">
          <span className="visually-hidden">Minimum level</span>
          <select
            value={view.level ?? ''}
            onChange={(e) => onView({ level: (e.target.value || null) as LogLevelName | null })}
            data-testid="logs-level"
          >
            {LEVEL_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <span className="logs-field">
          <CommitInput
            placeholder="Thread id"
            label="Filter by thread id"
            testId="logs-thread"
            width={150}
            onCommit={(id) =>
              onView((v) => ({ ...v, threads: v.threads.includes(id) ? v.threads : [...v.threads, id] }))
            }
          />
          <label className="logs-check" title="Also rows of the threads' sub-agents (and theirs)">
            <input
              type="checkbox"
              checked={view.sub}
              onChange={(e) => onView({ sub: e.target.checked })}
              disabled={view.threads.length === 0}
              data-testid="logs-sub"
            />
            <span>include sub-agents</span>
          </label>
        </span>
        <span className="logs-field">
          <CommitInput
            placeholder="Process uuid"
            label="Filter by process uuid"
            testId="logs-process"
            width={130}
            onCommit={(p) => onView({ process: p })}
          />
          {currentProcess && view.process !== currentProcess && (
            <button
              type="button"
              className="link-button"
              onClick={() => onView({ process: currentProcess })}
              title={`Only rows of this Threadscope process (${currentProcess})`}
              data-testid="logs-this-run"
            >
              This run
            </button>
          )}
        </span>
        <input
          className="logs-input mono"
          style={{ width: 150 }}
          placeholder="Target / module"
          aria-label="Filter by target or module path"
          value={target}
          onChange={(e) => onTarget(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && target) {
              onTarget('');
              e.preventDefault();
            }
          }}
          spellCheck={false}
          autoComplete="off"
          data-testid="logs-target"
        />
        <TimeRangeMenu
          fromMs={view.fromMs}
          toMs={view.toMs}
          onChange={({ fromMs, toMs }) =>
            onView({
              fromMs,
              toMs: fromMs !== null && toMs !== null && toMs < fromMs ? fromMs : toMs,
            })
          }
        />
      </div>
      <FilterChips
        chips={chips}
        onClearAll={hasLogFilters(view) ? () => onView(clearLogFilters) : null}
        testIds={{
          list: 'logs-chips',
          chip: 'logs-chip',
          remove: 'logs-chip-remove',
          clearAll: 'logs-clear-all',
        }}
      />
    </div>
  );
}
