import { CloseIcon } from '../features/threads/filter-icons.tsx';

/** One active filter shown as a removable chip. */
export interface FilterChip {
  key: string;
  name: string;
  text: string;
  title?: string | undefined;
  remove: () => void;
}

interface Props {
  chips: readonly FilterChip[];
  /** "Clear all", shown when given. */
  onClearAll: (() => void) | null;
  testIds: { list: string; chip: string; remove: string; clearAll: string };
}

/** The active filters of a page's filter bar as chips, each removable, plus "Clear all". */
export function FilterChips({ chips, onClearAll, testIds }: Props) {
  if (chips.length === 0) return null;
  return (
    <div className="filter-bar__chips" data-testid={testIds.list}>
      {chips.map((chip) => (
        <span className="chip" key={chip.key} title={chip.title} data-testid={testIds.chip}>
          <span className="chip__text">
            <span className="chip__name">{chip.name}</span> {chip.text}
          </span>
          <button
            type="button"
            className="chip__remove"
            onClick={chip.remove}
            aria-label={`Remove filter ${chip.name}: ${chip.text}`}
            data-testid={testIds.remove}
          >
            <CloseIcon />
          </button>
        </span>
      ))}
      {onClearAll && (
        <button type="button" className="link-button" onClick={onClearAll} data-testid={testIds.clearAll}>
          Clear all
        </button>
      )}
    </div>
  );
}
