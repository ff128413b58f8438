import { useEffect, useRef } from 'react';
import { SearchIcon } from '../../components/icons.tsx';

interface FindBarProps {
  value: string;
  onChange: (value: string) => void;
  /** 0-based index of the current match, or -1. */
  index: number;
  count: number | null;
  truncated: boolean;
  searching: boolean;
  onNext: () => void;
  onPrevious: () => void;
  onClose: () => void;
  focusSeq: number;
}

/** Find in thread: Enter / Shift+Enter step through matches, Escape closes. */
export function FindBar({
  value,
  onChange,
  index,
  count,
  truncated,
  searching,
  onNext,
  onPrevious,
  onClose,
  focusSeq,
}: FindBarProps) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusSeq]);
  const status =
    value.trim() === ''
      ? ''
      : count === null || (searching && count === 0)
        ? 'Searching…'
        : count === 0
          ? 'No matches'
          : `${index + 1} of ${count}${truncated ? '+' : ''}`;
  return (
    <div className="findbar" role="search" data-testid="find-bar">
      <SearchIcon className="findbar__icon" />
      <input
        ref={input}
        className="findbar__input"
        type="search"
        value={value}
        placeholder="Find in thread"
        aria-label="Find in thread"
        data-testid="find-input"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (e.shiftKey) onPrevious();
            else onNext();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      />
      <span
        className={`findbar__status${count === 0 && value ? ' is-empty' : ''}`}
        data-testid="find-status"
        aria-live="polite"
      >
        {status}
      </span>
      <button
        type="button"
        className="findbar__btn"
        onClick={onPrevious}
        disabled={!count}
        aria-label="Previous match (Shift+Enter)"
        title="Previous (Shift+Enter)"
      >
        ↑
      </button>
      <button
        type="button"
        className="findbar__btn"
        onClick={onNext}
        disabled={!count}
        aria-label="Next match (Enter)"
        title="Next (Enter)"
      >
        ↓
      </button>
      <button
        type="button"
        className="findbar__btn"
        onClick={onClose}
        aria-label="Close find (Escape)"
        title="Close (Esc)"
      >
        ✕
      </button>
    </div>
  );
}
