import { describe, expect, it } from 'vitest';
import { listMoveTarget } from './list-keys.ts';

describe('listMoveTarget', () => {
  it('moves by one, by a page and to the ends; other keys are not list moves', () => {
    expect(listMoveTarget('j', 3, 10, 5)).toBe(4);
    expect(listMoveTarget('ArrowDown', -1, 10, 5)).toBe(0);
    expect(listMoveTarget('k', -1, 10, 5)).toBe(0);
    expect(listMoveTarget('ArrowUp', 3, 10, 5)).toBe(2);
    expect(listMoveTarget('PageDown', 3, 10, 5)).toBe(8);
    expect(listMoveTarget('PageUp', 3, 10, 5)).toBe(-2);
    expect(listMoveTarget('Home', 7, 10, 5)).toBe(0);
    expect(listMoveTarget('End', 0, 10, 5)).toBe(9);
    expect(listMoveTarget('Enter', 0, 10, 5)).toBeNull();
  });
});
