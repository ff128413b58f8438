import { describe, expect, it } from 'vitest';
import { RolloutStamps } from './rollout-stamps.ts';

describe('RolloutStamps', () => {
  const stamps = new RolloutStamps([
    ['/h/sessions/a.jsonl', 10, 1_700_000_000_000.5],
    ['/h/sessions/b.jsonl', 20, 1_700_000_000_001],
  ]);

  it('tells unchanged files from changed and unknown ones', () => {
    expect(stamps.count).toBe(2);
    expect(stamps.isUnchanged('/h/sessions/a.jsonl', 10, 1_700_000_000_000.5)).toBe(true);
    expect(stamps.isUnchanged('/h/sessions/a.jsonl', 11, 1_700_000_000_000.5)).toBe(false);
    expect(stamps.isUnchanged('/h/sessions/a.jsonl', 10, 1_700_000_000_000)).toBe(false);
    expect(stamps.isUnchanged('/h/sessions/c.jsonl', 10, 1)).toBe(false);
    expect(stamps.sizeOf('/h/sessions/b.jsonl')).toBe(20);
    expect(stamps.sizeOf('/h/sessions/c.jsonl')).toBeUndefined();
    expect(stamps.has('/h/sessions/b.jsonl')).toBe(true);
  });

  it('lists the known files that were not seen again', () => {
    expect(stamps.missingFrom(new Set(['/h/sessions/b.jsonl']))).toEqual(['/h/sessions/a.jsonl']);
    expect(stamps.missingFrom(new Set(['/h/sessions/a.jsonl', '/h/sessions/b.jsonl']))).toEqual([]);
  });
});
