import { setImmediate as yieldImmediate } from 'node:timers/promises';

/**
 * Cooperative time slicing for long synchronous work on the main process: call `maybeYield()` often;
 * it gives the event loop a turn once the current slice has run for `budgetMs`. Keeps every task
 * well under the 50 ms long-task bar without moving the work to another thread.
 */
export interface Slicer {
  maybeYield(): Promise<void> | undefined;
  /** True when the slice budget is spent (for sync loops that want to stop and await). */
  due(): boolean;
  yieldNow(): Promise<void>;
}

export function createSlicer(budgetMs = 8): Slicer {
  let sliceStart = performance.now();
  const yieldNow = async (): Promise<void> => {
    await yieldImmediate();
    sliceStart = performance.now();
  };
  const due = (): boolean => performance.now() - sliceStart >= budgetMs;
  return {
    due,
    yieldNow,
    maybeYield: () => (due() ? yieldNow() : undefined),
  };
}

/** A slicer that never yields: for the CLI and tests where nothing else shares the loop. */
export const noYield: Slicer = { due: () => false, maybeYield: () => undefined, yieldNow: async () => {} };
