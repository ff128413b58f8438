import type {
  FeedbackClassification,
  FeedbackDraft,
  FeedbackEndpoint,
  FeedbackPartKind,
  FeedbackStatus,
  RedactionCounts,
} from '../../../preload/contract/index.ts';

export const CLASSIFICATIONS: readonly { value: FeedbackClassification; label: string; hint: string }[] = [
  { value: 'bug', label: 'Bug', hint: 'Something is broken or crashed' },
  { value: 'bad_result', label: 'Bad result', hint: 'The agent did the wrong thing' },
  { value: 'good_result', label: 'Good result', hint: 'The agent did well: more of this' },
  { value: 'other', label: 'Other', hint: 'Anything else' },
];

export function classificationLabel(c: FeedbackClassification): string {
  return CLASSIFICATIONS.find((x) => x.value === c)?.label ?? c;
}

const STATUS_LABELS: Record<FeedbackStatus, string> = {
  saved: 'Saved locally',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Failed',
};

export function statusLabel(s: FeedbackStatus): string {
  return STATUS_LABELS[s];
}

const KIND_LABELS: Record<FeedbackPartKind, string> = {
  report: 'Report',
  threadscope_logs: 'Threadscope logs',
  codex_logs: 'Codex logs',
  diagnostics: 'Diagnostics',
  rollout: 'Rollout',
  extra: 'Extra file',
};

export function partKindLabel(kind: FeedbackPartKind): string {
  return KIND_LABELS[kind];
}

const UNITS = ['KB', 'MB', 'GB'] as const;

/** 512 → "512 B", 1536 → "1.5 KB", 10 MiB → "10 MB", 123 456 789 → "118 MB" (binary units). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  let v = n / 1024;
  let i = 0;
  // Step up before rounding would print "1024 KB".
  while (v >= 1023.5 && i < UNITS.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v < 10 ? Number(v.toFixed(1)) : Math.round(v)} ${UNITS[i]}`;
}

/** How a redaction kind reads in a badge: singular and plural nouns. */
const REDACTION_NOUNS: Record<string, readonly [string, string]> = {
  private_key: ['private key block', 'private key blocks'],
  url_password: ['password in a URL', 'passwords in URLs'],
  bearer_token: ['bearer token', 'bearer tokens'],
  jwt: ['JWT', 'JWTs'],
  openai_key: ['OpenAI key', 'OpenAI keys'],
  github_token: ['GitHub token', 'GitHub tokens'],
  aws_access_key: ['AWS access key', 'AWS access keys'],
  aws_secret: ['AWS secret key', 'AWS secret keys'],
  google_api_key: ['Google API key', 'Google API keys'],
  slack_token: ['Slack token', 'Slack tokens'],
  secret_assignment: ['secret value', 'secret values'],
  home_dir: ['home folder path', 'home folder paths'],
};

/** A kind we have no wording for: `npm_token` → "npm token(s)". */
function fallbackNouns(kind: string): readonly [string, string] {
  const words = kind.replace(/[_-]+/g, ' ').trim() || 'value';
  return [words, words.endsWith('s') ? words : `${words}s`];
}

/** `("openai_key", 2)` → "2 OpenAI keys redacted"; home folders are replaced by `~`, not redacted. */
export function redactionLabel(kind: string, count: number): string {
  const [one, many] = REDACTION_NOUNS[kind] ?? fallbackNouns(kind);
  const verb = kind === 'home_dir' ? 'replaced by ~' : 'redacted';
  return `${count} ${count === 1 ? one : many} ${verb}`;
}

export interface RedactionBadge {
  kind: string;
  count: number;
  label: string;
  /** Home folders are routine; secrets are what the user should notice. */
  secret: boolean;
}

/** Badges for a part's counts: secrets first, then by count; zero counts dropped. */
export function redactionBadges(counts: RedactionCounts): RedactionBadge[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([kind, count]) => ({
      kind,
      count,
      label: redactionLabel(kind, count),
      secret: kind !== 'home_dir',
    }))
    .sort((a, b) => Number(b.secret) - Number(a.secret) || b.count - a.count || a.kind.localeCompare(b.kind));
}

/** Sum of every part's counts per kind (for a summary line over the bundle). */
export function sumRedactions(all: readonly RedactionCounts[]): RedactionCounts {
  const out: RedactionCounts = {};
  for (const counts of all) {
    for (const [kind, n] of Object.entries(counts)) out[kind] = (out[kind] ?? 0) + n;
  }
  return out;
}

export interface BundleSize {
  /** Bytes that would be sent with the current exclusions. */
  bytes: number;
  limit: number;
  excludedBytes: number;
  partsIncluded: number;
  over: boolean;
}

/** The bundle's size once `excluded` parts are left out (required parts never are). */
export function bundleSize(
  draft: Pick<FeedbackDraft, 'parts' | 'totalBytes' | 'limitBytes'>,
  excluded: ReadonlySet<string>,
): BundleSize {
  let excludedBytes = 0;
  let partsIncluded = 0;
  for (const part of draft.parts) {
    if (excluded.has(part.id) && !part.required) excludedBytes += part.bytes;
    else partsIncluded += 1;
  }
  const bytes = Math.max(0, draft.totalBytes - excludedBytes);
  return { bytes, limit: draft.limitBytes, excludedBytes, partsIncluded, over: bytes > draft.limitBytes };
}

/** Why Send is blocked, or null when the bundle fits. */
export function overLimitMessage(size: BundleSize): string | null {
  if (!size.over) return null;
  return (
    `The bundle is ${formatBytes(size.bytes)}, over the ${formatBytes(size.limit)} limit by ` +
    `${formatBytes(size.bytes - size.limit)}. Untick the largest parts (usually the logs or the rollout) to send it.`
  );
}

/** The first 8 hex digits: enough to tell bundles apart in a list. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** One line saying where a bundle goes. */
export function destinationText(endpoint: FeedbackEndpoint): string {
  if (endpoint.kind === 'none') {
    return 'No endpoint configured: the bundle is saved locally and you get an issue text to paste.';
  }
  const where =
    endpoint.display ?? (endpoint.kind === 'sentry' ? 'the configured Sentry project' : 'the configured URL');
  return endpoint.kind === 'sentry' ? `Sends to Sentry at ${where}` : `Sends to ${where}`;
}

const NOT_CONFIGURED = /^No feedback endpoint is configured/i;

/**
 * The endpoint's notice worth showing under the destination line: why a configured value is unusable,
 * or (when nothing is configured) how to configure one instead of repeating "saved locally".
 */
export function endpointNotice(endpoint: FeedbackEndpoint): string | null {
  if (endpoint.kind !== 'none') return endpoint.notice;
  if (!endpoint.notice || NOT_CONFIGURED.test(endpoint.notice)) {
    return 'To upload instead, set THREADSCOPE_FEEDBACK_ENDPOINT to a Sentry DSN or an https:// URL.';
  }
  return endpoint.notice;
}

/** Record timestamps are epoch ms; the shared time helpers take seconds. */
export function msToSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
