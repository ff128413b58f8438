import { useEffect, useRef } from 'react';

export interface ThreadKeyHandlers {
  onFind: () => void;
  onPreviousTurn: () => void;
  onNextTurn: () => void;
  onEscape: () => void;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}

/** Ctrl/Cmd+F find, `[` / `]` previous / next turn, Escape back. */
export function useThreadKeys(handlers: ThreadKeyHandlers): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const h = ref.current;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        h.onFind();
        return;
      }
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === '[') {
        e.preventDefault();
        h.onPreviousTurn();
      } else if (e.key === ']') {
        e.preventDefault();
        h.onNextTurn();
      } else if (e.key === 'Escape') {
        h.onEscape();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
