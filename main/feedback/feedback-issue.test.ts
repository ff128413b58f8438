import { describe, expect, it } from 'vitest';
import type { FeedbackRecord } from '../../preload/contract/feedback.ts';
import { issueText } from './feedback-issue.ts';

const record: FeedbackRecord = {
  id: 'a'.repeat(32),
  createdAt: Date.UTC(2026, 11, 2, 3, 0, 0),
  attemptedAt: null,
  threadId: '019b0093-0f99-75e3-9b62-65da9e3c9e61',
  threadTitle: `deploy with sk-proj-${'K'.repeat(40)}`,
  classification: 'bad_result',
  note: 'It picked the wrong file.',
  status: 'saved',
  endpoint: { kind: 'none', display: null, notice: null },
  remoteId: null,
  error: null,
  attempts: 0,
  parts: [
    {
      id: 'p1',
      kind: 'report',
      name: 'report.json',
      contentType: 'application/json',
      bytes: 1536,
      redactions: {},
      source: null,
      required: true,
    },
  ],
  totalBytes: 1536,
  path: '/home/tester/.config/Threadscope/feedback/' + 'a'.repeat(32),
  issueText: null,
};

describe('issueText', () => {
  it('is ready to paste, and redacted like the bundle (title secrets, the home folder in the path)', () => {
    const text = issueText(record, '1.2.3', '/home/tester');
    expect(text).toBe(
      [
        `### Threadscope feedback \`${'a'.repeat(32)}\``,
        '',
        '**Bad result** about "deploy with [REDACTED:openai_key]" (thread `019b0093-0f99-75e3-9b62-65da9e3c9e61`), Threadscope 1.2.3, 2026-12-02T03:00:00.000Z',
        '',
        'It picked the wrong file.',
        '',
        `Attachments (redacted, saved in \`~/.config/Threadscope/feedback/${'a'.repeat(32)}\`):`,
        '- `report.json` (1.5 KB)',
        '',
      ].join('\n'),
    );
  });
});
