import { describe, expect, it } from 'vitest';
import { compactNumber, projectName, relativeTime, sandboxLabel, threadTitle } from './thread-format.ts';

describe('thread formatting', () => {
  it('titles fall back to the first user message, then to a placeholder', () => {
    expect(threadTitle({ title: 'Fix the build', firstUserMessage: 'x' })).toBe('Fix the build');
    expect(threadTitle({ title: '', firstUserMessage: '[Image]' })).toBe('[Image]');
    expect(threadTitle({ title: '  ', firstUserMessage: null })).toBe('(untitled)');
    expect(threadTitle({ title: 'two\n\n  lines', firstUserMessage: null })).toBe('two lines');
  });

  it('names the project after the last cwd segment, POSIX or Windows', () => {
    expect(projectName('/home/me/app')).toBe('app');
    expect(projectName('/home/me/app/')).toBe('app');
    expect(projectName('C:\\Users\\stell\\GolfIQ-YOLO')).toBe('GolfIQ-YOLO');
    expect(projectName('/')).toBe('/');
  });

  it('compacts token counts', () => {
    expect(compactNumber(0)).toBe('0');
    expect(compactNumber(999)).toBe('999');
    expect(compactNumber(12_345)).toBe('12.3k');
    expect(compactNumber(123_456)).toBe('123k');
    expect(compactNumber(999_999)).toBe('1M');
    expect(compactNumber(26_259_431)).toBe('26.3M');
  });

  it('shows recent times relatively', () => {
    const now = Date.UTC(2026, 2, 10, 12, 0, 0);
    const at = (secondsAgo: number): number => now / 1000 - secondsAgo;
    expect(relativeTime(at(10), now)).toBe('just now');
    expect(relativeTime(at(5 * 60), now)).toBe('5m ago');
    expect(relativeTime(at(3 * 3600), now)).toBe('3h ago');
    expect(relativeTime(at(2 * 86400), now)).toBe('2d ago');
    expect(relativeTime(at(40 * 86400), now)).not.toMatch(/ago$/);
  });

  it('labels sandbox policies by their tag', () => {
    expect(sandboxLabel('{"type":"read-only"}')).toBe('read-only');
    expect(sandboxLabel('danger-full-access')).toBe('danger-full-access');
    expect(sandboxLabel('"workspace-write"')).toBe('workspace-write');
  });
});
