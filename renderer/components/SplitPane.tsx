import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';

interface SplitPaneProps {
  /** localStorage key for the remembered side width. */
  storageKey: string;
  main: ReactNode;
  side: ReactNode;
  defaultSide?: number;
  minSide?: number;
  minMain?: number;
}

function readStored(key: string, fallback: number): number {
  try {
    const v = Number(localStorage.getItem(key));
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

/** A main pane and a right side pane with a draggable (and arrow-key) resizable divider. */
export function SplitPane({
  storageKey,
  main,
  side,
  defaultSide = 380,
  minSide = 280,
  minMain = 360,
}: SplitPaneProps) {
  const container = useRef<HTMLDivElement>(null);
  const [sideWidth, setSideWidth] = useState(() => readStored(storageKey, defaultSide));
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);

  const clamp = useCallback(
    (w: number): number => {
      const total = container.current?.clientWidth ?? 0;
      const max = total > 0 ? Math.max(minSide, total - minMain) : w;
      return Math.round(Math.min(Math.max(w, minSide), max));
    },
    [minSide, minMain],
  );

  useEffect(() => {
    try {
      localStorage.setItem(storageKey, String(sideWidth));
    } catch {
      // Storage may be unavailable (private mode); the width just is not remembered.
    }
  }, [storageKey, sideWidth]);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startX: e.clientX, startWidth: sideWidth };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>): void => {
    if (!drag.current) return;
    setSideWidth(clamp(drag.current.startWidth + drag.current.startX - e.clientX));
  };
  const onPointerUp = (): void => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const step = e.shiftKey ? 64 : 16;
    if (e.key === 'ArrowLeft') setSideWidth((w) => clamp(w + step));
    else if (e.key === 'ArrowRight') setSideWidth((w) => clamp(w - step));
    else return;
    e.preventDefault();
  };

  return (
    <div className="split" ref={container}>
      <div className="split__main">{main}</div>
      <div
        className="split__handle"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize details pane"
        aria-valuenow={sideWidth}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
      />
      <div className="split__side" style={{ width: sideWidth }}>
        {side}
      </div>
    </div>
  );
}
