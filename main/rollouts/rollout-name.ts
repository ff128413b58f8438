const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_TS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})-(\d{2})-(\d{2}))?$/;
const ROLLOUT_NAME_RE = /^rollout-.+\.jsonl(?:\.zst)?$/;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

export function isRolloutFileName(name: string): boolean {
  return ROLLOUT_NAME_RE.test(name);
}

/**
 * Seed §3.1: strip `rollout-` and `.jsonl` (`.jsonl.zst` too), then scan `-` from the right until the
 * suffix is a UUID; the rest is the creation time `YYYY-MM-DDThh-mm-ss`, read as UTC although Codex wrote
 * local wall-clock time. The date-only names of the first Rust builds (`rollout-2025-05-07-<uuid>`) are
 * accepted too, at midnight, so their ids are not lost.
 */
export function parseRolloutFileName(name: string): { timestamp: number; id: string } | null {
  if (!name.startsWith('rollout-')) return null;
  let core: string;
  if (name.endsWith('.jsonl')) core = name.slice(8, -6);
  else if (name.endsWith('.jsonl.zst')) core = name.slice(8, -10);
  else return null;
  for (let dash = core.lastIndexOf('-'); dash > 0; dash = core.lastIndexOf('-', dash - 1)) {
    const id = core.slice(dash + 1);
    if (!isUuid(id)) continue;
    const timestamp = parseNameTimestamp(core.slice(0, dash));
    return timestamp === null ? null : { timestamp, id: id.toLowerCase() };
  }
  return null;
}

function parseNameTimestamp(text: string): number | null {
  const m = NAME_TS_RE.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  return Math.floor(Date.UTC(y, mo - 1, d, h, mi, s) / 1000);
}

/** RFC 3339 (or the file-name form `YYYY-MM-DDThh-mm-ss`) to epoch milliseconds; null when it does not parse. */
export function parseTimestampMs(text: unknown): number | null {
  if (typeof text !== 'string' || text.length < 10) return null;
  if (NAME_TS_RE.test(text)) {
    const s = parseNameTimestamp(text);
    return s === null ? null : s * 1000;
  }
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}
