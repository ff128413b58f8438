import { describe, expect, it } from 'vitest';
import type { FeedbackPart } from '../../../preload/contract/index.ts';
import {
  bundleSize,
  classificationLabel,
  destinationText,
  endpointNotice,
  formatBytes,
  overLimitMessage,
  redactionBadges,
  redactionLabel,
  shortId,
  sumRedactions,
} from './feedback-format.ts';

function part(id: string, bytes: number, required = false): FeedbackPart {
  return {
    id,
    kind: required ? 'report' : 'extra',
    name: `${id}.txt`,
    contentType: 'text/plain',
    bytes,
    text: '',
    truncated: false,
    redactions: {},
    source: null,
    required,
  };
}

describe('formatBytes', () => {
  it('uses binary units with one decimal below 10 and whole numbers above', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 + 300)).toBe('20 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(123_456_789)).toBe('118 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GB');
  });

  it('steps up a unit instead of printing 1024 of the smaller one', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MB');
    expect(formatBytes(1023 * 1024)).toBe('1023 KB');
  });
});

describe('bundleSize', () => {
  const draft = {
    parts: [part('report', 2_000, true), part('logs', 6_000), part('rollout', 5_000)],
    totalBytes: 13_000,
    limitBytes: 10_000,
  };

  it('is over the limit with every part included', () => {
    const size = bundleSize(draft, new Set());
    expect(size).toEqual({ bytes: 13_000, limit: 10_000, excludedBytes: 0, partsIncluded: 3, over: true });
    expect(overLimitMessage(size)).toBe(
      'The bundle is 13 KB, over the 9.8 KB limit by 2.9 KB. Untick the largest parts (usually the logs or the rollout) to send it.',
    );
  });

  it('subtracts excluded parts and fits again', () => {
    const size = bundleSize(draft, new Set(['logs']));
    expect(size).toMatchObject({ bytes: 7_000, excludedBytes: 6_000, partsIncluded: 2, over: false });
    expect(overLimitMessage(size)).toBeNull();
  });

  it('never excludes a required part, and ignores ids that are not in the draft', () => {
    const size = bundleSize(draft, new Set(['report', 'nope', 'rollout']));
    expect(size).toMatchObject({ bytes: 8_000, excludedBytes: 5_000, partsIncluded: 2 });
  });

  it('is not over when exactly at the limit', () => {
    expect(bundleSize({ ...draft, limitBytes: 13_000 }, new Set()).over).toBe(false);
  });
});

describe('redaction badges', () => {
  it('names known kinds in singular and plural', () => {
    expect(redactionLabel('openai_key', 2)).toBe('2 OpenAI keys redacted');
    expect(redactionLabel('openai_key', 1)).toBe('1 OpenAI key redacted');
    expect(redactionLabel('github_token', 3)).toBe('3 GitHub tokens redacted');
    expect(redactionLabel('home_dir', 4)).toBe('4 home folder paths replaced by ~');
    expect(redactionLabel('url_password', 2)).toBe('2 passwords in URLs redacted');
    expect(redactionLabel('secret_assignment', 1)).toBe('1 secret value redacted');
  });

  it('reads an unknown kind from its name', () => {
    expect(redactionLabel('npm_token', 1)).toBe('1 npm token redacted');
    expect(redactionLabel('npm_token', 5)).toBe('5 npm tokens redacted');
    expect(redactionLabel('credentials', 2)).toBe('2 credentials redacted');
  });

  it('puts secrets before home folders, larger counts first, and drops zeros', () => {
    const badges = redactionBadges({ home_dir: 9, jwt: 1, openai_key: 2, password: 0 });
    expect(badges.map((b) => b.label)).toEqual([
      '2 OpenAI keys redacted',
      '1 JWT redacted',
      '9 home folder paths replaced by ~',
    ]);
    expect(badges.map((b) => b.secret)).toEqual([true, true, false]);
  });

  it('sums counts over parts', () => {
    expect(sumRedactions([{ openai_key: 1 }, { openai_key: 2, jwt: 1 }, {}])).toEqual({
      openai_key: 3,
      jwt: 1,
    });
  });
});

describe('labels', () => {
  it('shortens ids and names classifications', () => {
    expect(shortId('0123456789abcdef0123456789abcdef')).toBe('01234567');
    expect(classificationLabel('bad_result')).toBe('Bad result');
  });

  it('says where the bundle goes', () => {
    expect(destinationText({ kind: 'none', display: null, notice: null })).toBe(
      'No endpoint configured: the bundle is saved locally and you get an issue text to paste.',
    );
    expect(
      destinationText({ kind: 'sentry', display: 'o1.ingest.sentry.io (project 42)', notice: null }),
    ).toBe('Sends to Sentry at o1.ingest.sentry.io (project 42)');
    expect(destinationText({ kind: 'https', display: 'feedback.example.com', notice: null })).toBe(
      'Sends to feedback.example.com',
    );
  });

  it('explains how to configure an endpoint, but keeps a reason the configured one is unusable', () => {
    const notConfigured =
      'No feedback endpoint is configured (THREADSCOPE_FEEDBACK_ENDPOINT): bundles are saved locally.';
    expect(endpointNotice({ kind: 'none', display: null, notice: notConfigured })).toBe(
      'To upload instead, set THREADSCOPE_FEEDBACK_ENDPOINT to a Sentry DSN or an https:// URL.',
    );
    const unusable = 'The feedback endpoint is not usable: it uses ftp.';
    expect(endpointNotice({ kind: 'none', display: null, notice: unusable })).toBe(unusable);
    expect(endpointNotice({ kind: 'https', display: 'x', notice: null })).toBeNull();
  });
});
