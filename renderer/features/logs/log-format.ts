import { LOG_LEVELS, type LogRecord } from '../../../preload/contract/index.ts';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A row's time in epoch ms (its nanos truncated). */
export function rowMs(row: Pick<LogRecord, 'ts' | 'tsNanos'>): number {
  return row.ts * 1000 + Math.floor(row.tsNanos / 1e6);
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const yearDayFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

const sameDay = (a: Date, b: Date): boolean =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** `14:05:09.123` (local time, milliseconds always shown). */
export function clockMs(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The table's time cell: the clock, plus the day when it is not today (`Jan 26`, or with the year). */
export function rowClock(ms: number, nowMs: number): { day: string; time: string } {
  const d = new Date(ms);
  const now = new Date(nowMs);
  const day = sameDay(d, now)
    ? ''
    : d.getFullYear() === now.getFullYear()
      ? dayFormat.format(d)
      : yearDayFormat.format(d);
  return { day, time: clockMs(ms) };
}

/**
 * The exact time with nanoseconds, local and UTC:
 * `2026-01-26 14:05:09.123456789 (local) · 2026-01-26T13:05:09.123456789Z`.
 */
export function exactLogTime(row: Pick<LogRecord, 'ts' | 'tsNanos'>): string {
  const d = new Date(row.ts * 1000);
  const nanos = pad(Math.max(0, Math.min(999_999_999, row.tsNanos)), 9);
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${nanos}`;
  const utc = `${d.toISOString().slice(0, 19)}.${nanos}Z`;
  return `${local} (local) · ${utc}`;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** `Jan 26, 14:05:09`: a moment, to the second. */
export function dateTime(ms: number): string {
  return dateTimeFormat.format(new Date(ms));
}

/** A range for chips and the tooltip: the day once when both ends share it. */
export function rangeLabel(fromMs: number | null, toMs: number | null): string {
  if (fromMs !== null && toMs !== null) {
    const same = sameDay(new Date(fromMs), new Date(toMs));
    return `${dateTime(fromMs)} – ${same ? timeFormat.format(new Date(toMs)) : dateTime(toMs)}`;
  }
  if (fromMs !== null) return `since ${dateTime(fromMs)}`;
  if (toMs !== null) return `until ${dateTime(toMs)}`;
  return 'Any time';
}

/** An axis tick at a span-appropriate precision. */
export function tickLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs <= 10_000) return clockMs(ms);
  if (spanMs <= 2 * 3_600_000) return timeFormat.format(d);
  if (spanMs <= 36 * 3_600_000) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return dayFormat.format(d);
}

/**
 * Thread ids are mostly UUIDv7, whose leading digits are a timestamp shared by neighbouring threads:
 * the tail tells them apart. Other ids (Codex records whatever the span carried) are cut at 8.
 */
export function shortThreadId(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id.slice(-8);
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

export type LevelClass = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'other';

/** The CSS modifier for a level string (another DB may hold other spellings). */
export function levelClass(level: string): LevelClass {
  const upper = level.toUpperCase();
  if (upper === 'WARNING') return 'warn';
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper.toLowerCase() as LevelClass) : 'other';
}

/** `pid:1234:<uuid>` → `pid 1234`: enough to tell processes apart at a glance. */
export function shortProcess(uuid: string): string {
  const m = /^pid:(\d+):([0-9a-f]{4})/i.exec(uuid);
  return m ? `pid ${m[1]} · ${m[2]}` : uuid.length > 14 ? `${uuid.slice(0, 12)}…` : uuid;
}

/** Epoch ms → a `datetime-local` input value (local time, to the second). */
export function toLocalInput(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A `datetime-local` value → epoch ms (local time), null when blank or malformed. */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = new Date(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number((frac ?? '0').padEnd(3, '0')),
  ).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}
