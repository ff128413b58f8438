import type { CappedText, OutlineTurn, TokenUsage } from '../../../preload/contract/index.ts';
import { compactNumber } from '../threads/thread-format.ts';

/** 850 → "850 ms", 4 200 → "4.2 s", 268 744 → "4m 29s", 5 400 000 → "1h 30m". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s - m * 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function formatTokens(usage: TokenUsage | null | undefined): string | null {
  return usage && usage.total > 0 ? `${compactNumber(usage.total)} tokens` : null;
}

/** Built once: an Intl formatter costs far more to create than to use, and rows call these per render. */
const numberFormat = new Intl.NumberFormat();

export function tokenTitle(usage: TokenUsage): string {
  const f = numberFormat;
  return [
    `input ${f.format(usage.input)} (cached ${f.format(usage.cachedInput)})`,
    `output ${f.format(usage.output)} (reasoning ${f.format(usage.reasoningOutput)})`,
    `total ${f.format(usage.total)}`,
  ].join('\n');
}

/** Whole capped text with a marker where the middle was left out. */
export function cappedString(c: CappedText): string {
  if (c.omitted === 0) return c.tail === null ? c.text : `${c.text}${c.tail}`;
  const marker = `… ${numberFormat.format(c.omitted)} characters not shown …`;
  return c.tail === null ? `${c.text}\n${marker}` : `${c.text}\n${marker}\n${c.tail}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** "21:39" with the full date and time on hover. */
export function clock(iso: string | null): { text: string; title: string } | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return { text: timeFormat.format(d), title: `${fullFormat.format(d)} (${d.toISOString()})` };
}

export function bytesLabel(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Index of the turn containing `position` (turns sorted by position), or -1 before the first. */
export function turnIndexAt(turns: readonly OutlineTurn[], position: number): number {
  let lo = 0;
  let hi = turns.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (turns[mid]!.position <= position) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
