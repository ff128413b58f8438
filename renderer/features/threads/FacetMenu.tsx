import * as Popover from '@radix-ui/react-popover';
import { useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Output } from '../../../preload/contract/index.ts';
import { errorMessage } from '../../api/client.ts';
import { useThreadFacets } from '../../api/use-threads.ts';
import { CheckIcon, ChevronDownIcon } from './filter-icons.tsx';
import { formatNumber } from './thread-format.ts';

export type Facets = Output<'threads:facets'>;

export interface FacetOption {
  value: string;
  label: string;
  /** Hover text, e.g. a project's full path. */
  title?: string | undefined;
  /** Secondary text after the label (a project's parent folder). */
  hint?: string | undefined;
  count: number | null;
  icon?: ReactNode;
}

interface FacetMenuProps {
  label: string;
  testId: string;
  archived: boolean;
  selected: readonly string[];
  /** Multi-select toggles values; single-select picks one and closes. */
  multi: boolean;
  onToggle: (value: string) => void;
  options: (facets: Facets) => FacetOption[];
  /** How to show a selected value the facets no longer list (e.g. from a link). */
  fallback: (value: string) => FacetOption;
  searchPlaceholder: string;
}

/** Lists longer than this get a filter box. */
const SEARCHABLE_AT = 8;

/** A filter menu over one facet: trigger shows how many values are on; the list loads when opened. */
export function FacetMenu(props: FacetMenuProps) {
  const [open, setOpen] = useState(false);
  const active = props.selected.length > 0;
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        className={`filter-button${active ? ' is-active' : ''}`}
        data-testid={props.testId}
        aria-label={`${props.label} filter${active ? `, ${props.selected.length} selected` : ''}`}
      >
        <span>{props.label}</span>
        {active && <span className="filter-button__count">{props.selected.length}</span>}
        <ChevronDownIcon className="filter-button__chevron" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className="menu"
          align="start"
          sideOffset={4}
          collisionPadding={8}
          data-testid={`${props.testId}-menu`}
          aria-label={`${props.label} filter`}
        >
          <FacetList {...props} onPicked={() => !props.multi && setOpen(false)} />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function FacetList(props: FacetMenuProps & { onPicked: () => void }) {
  const { archived, selected, options, fallback, onToggle, onPicked } = props;
  const facets = useThreadFacets(archived);
  const [filter, setFilter] = useState('');

  const all = useMemo(() => {
    const listed = facets.data ? options(facets.data) : [];
    const known = new Set(listed.map((o) => o.value));
    // Selected values first, even when the facets do not list them (a link from elsewhere, an old value).
    const missing = selected.filter((v) => !known.has(v)).map(fallback);
    return [...missing, ...listed];
  }, [facets.data, options, fallback, selected]);

  const needle = filter.trim().toLowerCase();
  const shown = needle
    ? all.filter((o) => `${o.label} ${o.title ?? ''}`.toLowerCase().includes(needle))
    : all;
  const searchable = all.length > SEARCHABLE_AT;

  const moveFocus = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const list = e.currentTarget.closest('.menu')?.querySelectorAll<HTMLElement>('.menu__option');
    if (!list || list.length === 0) return;
    const items = [...list];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'ArrowDown' ? Math.min(items.length - 1, at + 1) : at - 1;
    if (next < 0) e.currentTarget.closest('.menu')?.querySelector<HTMLElement>('.menu__search')?.focus();
    else items[next]?.focus();
    e.preventDefault();
  };

  return (
    <div className="menu__body" onKeyDown={moveFocus}>
      {searchable && (
        <input
          className="menu__search"
          type="search"
          placeholder={props.searchPlaceholder}
          aria-label={props.searchPlaceholder}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          data-testid="menu-search"
        />
      )}
      <div className="menu__list" role="group" aria-label={props.label}>
        {facets.isPending && <p className="menu__note">Loading…</p>}
        {facets.isError && <p className="menu__note menu__note--error">{errorMessage(facets.error)}</p>}
        {facets.isSuccess && shown.length === 0 && (
          <p className="menu__note">{needle ? 'No match' : 'No values in this list'}</p>
        )}
        {shown.map((o) => {
          const on = selected.includes(o.value);
          return (
            <button
              key={o.value}
              type="button"
              className={`menu__option${on ? ' is-on' : ''}`}
              aria-pressed={on}
              title={o.title}
              onClick={() => {
                onToggle(o.value);
                onPicked();
              }}
              data-testid="menu-option"
              data-value={o.value}
            >
              <span className={`menu__check${props.multi ? '' : ' is-radio'}`}>{on && <CheckIcon />}</span>
              {o.icon}
              <span className="menu__label">{o.label}</span>
              {o.hint && <span className="menu__hint mono">{o.hint}</span>}
              {o.count !== null && <span className="menu__count">{formatNumber(o.count)}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}
