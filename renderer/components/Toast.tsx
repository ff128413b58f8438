import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';

export interface ToastAction {
  label: string;
  onAction: () => void;
}

export interface ToastOptions {
  message: ReactNode;
  tone?: 'info' | 'error';
  /** One button, e.g. Undo; the toast closes when it is used. */
  action?: ToastAction;
  /** Default 10 s for info, 15 s for errors; paused while hovered or focused. */
  durationMs?: number;
  testId?: string;
}

interface ToastEntry extends ToastOptions {
  id: number;
}

interface ToastApi {
  show(options: ToastOptions): number;
  dismiss(id: number): void;
}

// One module-level store (like a notification service): any component can raise a toast, and the
// single <Toaster /> renders them without wrapping the app in a provider.
let toasts: readonly ToastEntry[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const publish = (next: readonly ToastEntry[]): void => {
  toasts = next;
  for (const l of listeners) l();
};

const api: ToastApi = {
  show(options) {
    const id = nextId++;
    // Keep the three newest: a burst of actions should not wall off the page.
    publish([...toasts.slice(-2), { ...options, id }]);
    return id;
  },
  dismiss(id) {
    publish(toasts.filter((t) => t.id !== id));
  },
};

/** Toasts from anywhere: `const toast = useToast(); toast.show({ message, action })`. */
export function useToast(): ToastApi {
  return api;
}

function ToastItem({ toast, onClose }: { toast: ToastEntry; onClose: (id: number) => void }) {
  const [paused, setPaused] = useState(false);
  const remaining = useRef(toast.durationMs ?? (toast.tone === 'error' ? 15_000 : 10_000));

  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const timer = setTimeout(() => onClose(toast.id), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current = Math.max(1_000, remaining.current - (Date.now() - started));
    };
  }, [paused, toast.id, onClose]);

  return (
    <div
      className={`toast${toast.tone === 'error' ? ' toast--error' : ''}`}
      role={toast.tone === 'error' ? 'alert' : 'status'}
      data-testid={toast.testId ?? 'toast'}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose(toast.id);
      }}
    >
      <div className="toast__message">{toast.message}</div>
      {toast.action && (
        <button
          type="button"
          className="toast__action"
          onClick={() => {
            toast.action?.onAction();
            onClose(toast.id);
          }}
          data-testid="toast-action"
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" className="toast__close" aria-label="Dismiss" onClick={() => onClose(toast.id)}>
        ×
      </button>
    </div>
  );
}

const subscribe = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const snapshot = (): readonly ToastEntry[] => toasts;

/** Mount once near the root: renders the toasts in a polite live region at the bottom right. */
export function Toaster() {
  const list = useSyncExternalStore(subscribe, snapshot);
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {list.map((t) => (
        <ToastItem key={t.id} toast={t} onClose={api.dismiss} />
      ))}
    </section>
  );
}
