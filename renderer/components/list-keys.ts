/**
 * The position a list's keyboard moves the selection to — j/k or arrows by one, Page Up/Down by `page`,
 * Home/End to the ends — or null for any other key. The caller clamps and scrolls.
 */
export function listMoveTarget(key: string, current: number, count: number, page: number): number | null {
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return current + 1;
    case 'ArrowUp':
    case 'k':
      return current < 0 ? 0 : current - 1;
    case 'PageDown':
      return current + page;
    case 'PageUp':
      return current - page;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
