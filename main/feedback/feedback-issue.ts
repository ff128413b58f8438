import { homedir } from 'node:os';
import type { FeedbackRecord } from '../../preload/contract/feedback.ts';
import { redactText } from './redact.ts';

const LABELS: Record<FeedbackRecord['classification'], string> = {
  bug: 'Bug',
  bad_result: 'Bad result',
  good_result: 'Good result',
  other: 'Other',
};

const size = (n: number): string =>
  n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KB`
      : `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * A ready-to-paste issue text for a bundle that was kept locally (no endpoint, or the upload failed), redacted
 * like the bundle itself (the title and the folder path may hold secrets or the user's home folder).
 */
export function issueText(r: FeedbackRecord, appVersion: string, home: string | null = homedir()): string {
  const about = r.threadId
    ? `${r.threadTitle ? `"${r.threadTitle}" ` : ''}(thread \`${r.threadId}\`)`
    : 'the app';
  const text = [
    `### Threadscope feedback \`${r.id}\``,
    '',
    `**${LABELS[r.classification]}** about ${about}, Threadscope ${appVersion}, ${new Date(r.createdAt).toISOString()}`,
    '',
    r.note.trim() || '_(no note)_',
    '',
    `Attachments (redacted, saved in \`${r.path}\`):`,
    ...r.parts.map((p) => `- \`${p.name}\` (${size(p.bytes)})`),
    '',
  ].join('\n');
  return redactText(text, home).text;
}
