import type { Thread } from '../../../preload/contract/index.ts';

/** What a row calls the thread: its title, else the first user message, else a placeholder. */
export function threadTitle(thread: Pick<Thread, 'title' | 'firstUserMessage'>): string {
  const text = thread.title.trim() || thread.firstUserMessage?.trim() || '';
  return text ? text.replace(/\s+/g, ' ') : '(untitled)';
}

/** Last path segment of a POSIX or Windows cwd. */
export function projectName(cwd: string): string {
  const parts = cwd.split(/[\\/]+/).filter(Boolean);
  return parts.at(-1) ?? cwd;
}

/** 950 → "950", 12 345 → "12.3k", 4 200 000 → "4.2M". */
export function compactNumber(n: number): string {
  const abs = Math.abs(n);
  const fmt = (v: number, suffix: string): string =>
    `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))}${suffix}`;
  if (abs < 1000) return String(n);
  if (abs < 999_950) return fmt(n / 1e3, 'k');
  if (abs < 999_950_000) return fmt(n / 1e6, 'M');
  return fmt(n / 1e9, 'B');
}

const fullNumber = new Intl.NumberFormat();
export function formatNumber(n: number): string {
  return fullNumber.format(n);
}

const exactFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const sameYearFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const otherYearFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});

/** Exact local time plus UTC, for `title` attributes and the detail pane. */
export function exactTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${exactFormat.format(d)} (${d.toISOString().replace('.000Z', 'Z')})`;
}

/** "just now", "5m ago", "3h ago", "6d ago", then a date. */
export function relativeTime(epochSeconds: number, nowMs: number): string {
  const seconds = Math.round(nowMs / 1000 - epochSeconds);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours}h ago`;
  const days = Math.round(hours / 24);
  if (days < 7) return `${days}d ago`;
  const d = new Date(epochSeconds * 1000);
  return d.getFullYear() === new Date(nowMs).getFullYear()
    ? sameYearFormat.format(d)
    : otherYearFormat.format(d);
}

/** Seed stores sandbox policies as compact JSON (`{"type":"read-only"}`); show the tag when there is one. */
export function sandboxLabel(policy: string): string {
  try {
    const parsed: unknown = JSON.parse(policy);
    if (typeof parsed === 'string') return parsed;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'type' in parsed &&
      typeof parsed.type === 'string'
    ) {
      return parsed.type;
    }
  } catch {
    // Not JSON: already a plain label.
  }
  return policy;
}
