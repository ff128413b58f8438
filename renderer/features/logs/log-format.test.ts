import { describe, expect, it } from 'vitest';
import {
  exactLogTime,
  fromLocalInput,
  levelClass,
  rowClock,
  rowMs,
  shortThreadId,
  toLocalInput,
} from './log-format.ts';

describe('log time formatting', () => {
  it('keeps milliseconds in the clock and nanoseconds in the exact time', () => {
    const row = { ts: 1_760_000_000, tsNanos: 123_456_789 };
    expect(rowMs(row)).toBe(1_760_000_000_123);
    expect(rowClock(rowMs(row), rowMs(row)).time).toMatch(/^\d{2}:\d{2}:\d{2}\.123$/);
    expect(exactLogTime(row)).toMatch(/\.123456789 \(local\) · 2025-10-09T08:53:20\.123456789Z$/);
    expect(exactLogTime({ ts: 0, tsNanos: 5 })).toContain('1970-01-01T00:00:00.000000005Z');
  });

  it('shows the day only when the row is not from today', () => {
    const now = new Date(2026, 2, 7, 15, 0).getTime();
    expect(rowClock(new Date(2026, 2, 7, 9, 1, 2, 3).getTime(), now)).toEqual({
      day: '',
      time: '09:01:02.003',
    });
    expect(rowClock(new Date(2026, 2, 6, 9, 0).getTime(), now).day).not.toBe('');
  });

  it('round-trips datetime-local values to the second', () => {
    const ms = new Date(2026, 0, 26, 22, 48, 44).getTime();
    expect(toLocalInput(ms)).toBe('2026-01-26T22:48:44');
    expect(fromLocalInput('2026-01-26T22:48:44')).toBe(ms);
    expect(fromLocalInput('2026-01-26T22:48')).toBe(ms - 44_000);
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });
});

describe('labels', () => {
  it('maps levels to colour classes, other spellings included', () => {
    expect(['TRACE', 'debug', 'Info', 'WARNING', 'ERROR', 'FATAL'].map(levelClass)).toEqual([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'other',
    ]);
  });

  it('shortens UUID thread ids by their random tail, others by their head', () => {
    expect(shortThreadId('019bfafe-3da9-7880-ba6c-483ad20ea4af')).toBe('d20ea4af');
    expect(shortThreadId('thread-with-a-long-name')).toBe('thread-w…');
    expect(shortThreadId('short')).toBe('short');
  });
});
