/** One file of a bundle as sent. */
export interface UploadAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** What a feedback report says (re-exported by feedback-upload.ts). */
export interface UploadEvent {
  /** 32 lowercase hex: the Sentry event_id and our feedback ID. */
  id: string;
  createdAtMs: number;
  classification: 'bug' | 'bad_result' | 'good_result' | 'other';
  /** The user's note (already redacted). */
  note: string;
  threadId: string | null;
  appVersion: string;
  /** E.g. `linux 6.8.0 x64`. */
  platform: string;
  tags: Record<string, string>;
}

/** Seed §7's display names of the classifications (Codex's `[<Display>]: …` title prefix). */
const CLASSIFICATION_DISPLAY: Record<UploadEvent['classification'], string> = {
  bug: 'Bug',
  bad_result: 'Bad result',
  good_result: 'Good result',
  other: 'Other',
};

/** Tags we set ourselves: the caller's `tags` never override them. */
const RESERVED_TAGS = ['thread_id', 'classification', 'app_version', 'platform'] as const;
/** Sentry's limits: keys of at most 32 characters from this set, values of at most 200, no line breaks. */
const TAG_KEY = /^[A-Za-z0-9_.:-]{1,32}$/;
const MAX_TAG_VALUE = 200;
/** Codex keeps at most 64 collected tags. */
const MAX_TAGS = 64;

/** The event a feedback report is sent as (the Sentry event JSON, and the `metadata` of a multipart upload). */
export interface FeedbackEventPayload {
  event_id: string;
  /** Seconds since the epoch (Sentry's float timestamp). */
  timestamp: number;
  platform: 'other';
  level: 'error' | 'info';
  message: string;
  title: string;
  release: string;
  tags: Record<string, string>;
  exception?: { values: { type: string; value: string }[] };
}

/** `[Bug]: Threadscope feedback <thread id>` or `[Other]: Threadscope feedback about the app`. */
export function feedbackTitle(event: Pick<UploadEvent, 'classification' | 'threadId'>): string {
  const about = event.threadId ?? 'about the app';
  return `[${CLASSIFICATION_DISPLAY[event.classification]}]: Threadscope feedback ${about}`;
}

function tagValue(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return flat.length > MAX_TAG_VALUE ? `${flat.slice(0, MAX_TAG_VALUE - 1)}…` : flat;
}

function eventTags(event: UploadEvent): Record<string, string> {
  const tags: Record<string, string> = {};
  if (event.threadId !== null) tags.thread_id = tagValue(event.threadId);
  tags.classification = event.classification;
  tags.app_version = tagValue(event.appVersion);
  tags.platform = tagValue(event.platform);
  const reserved = new Set<string>(RESERVED_TAGS);
  let extra = 0;
  for (const [key, value] of Object.entries(event.tags)) {
    if (reserved.has(key) || !TAG_KEY.test(key) || extra >= MAX_TAGS) continue;
    tags[key] = tagValue(value);
    extra += 1;
  }
  return tags;
}

/** The event mirroring Codex's feedback event (seed §7), with Threadscope's title and tags. */
export function buildFeedbackEvent(event: UploadEvent): FeedbackEventPayload {
  const title = feedbackTitle(event);
  const payload: FeedbackEventPayload = {
    event_id: event.id,
    timestamp: event.createdAtMs / 1000,
    platform: 'other',
    level: event.classification === 'bug' || event.classification === 'bad_result' ? 'error' : 'info',
    message: title,
    title,
    release: `threadscope@${event.appVersion}`,
    tags: eventTags(event),
  };
  if (event.note.trim() !== '') payload.exception = { values: [{ type: title, value: event.note }] };
  return payload;
}

/** The `X-Sentry-Auth` header value for a DSN's public key. */
export function sentryAuthHeader(publicKey: string, appVersion: string): string {
  return `Sentry sentry_version=7, sentry_key=${publicKey}, sentry_client=threadscope/${appVersion}`;
}

/**
 * A Sentry envelope: the header line, then an `event` item and one `attachment` item per attachment, each an item
 * header line with the payload's exact byte length followed by the payload and `\n`.
 */
export function encodeEnvelope(
  header: { eventId: string; sentAt: Date; dsn: string },
  event: FeedbackEventPayload,
  attachments: readonly UploadAttachment[],
): Buffer {
  const chunks: Buffer[] = [];
  const line = (value: object): void => {
    chunks.push(Buffer.from(`${JSON.stringify(value)}\n`, 'utf8'));
  };
  const item = (itemHeader: object, payload: Buffer): void => {
    line(itemHeader);
    chunks.push(payload, Buffer.from('\n'));
  };
  line({ event_id: header.eventId, sent_at: header.sentAt.toISOString(), dsn: header.dsn });
  const eventBytes = Buffer.from(JSON.stringify(event), 'utf8');
  item({ type: 'event', length: eventBytes.length }, eventBytes);
  for (const a of attachments) {
    item(
      {
        type: 'attachment',
        length: a.data.length,
        filename: a.filename,
        content_type: a.contentType,
        attachment_type: 'event.attachment',
      },
      a.data,
    );
  }
  return Buffer.concat(chunks);
}
