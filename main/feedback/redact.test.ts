import { describe, expect, it } from 'vitest';
import { redactText } from './redact.ts';

const L = (n: number, c = 'a'): string => c.repeat(n);

describe('redactText', () => {
  it.each([
    ['openai_key', `key sk-proj-${L(40, 'A')} end`, 'key [REDACTED:openai_key] end'],
    ['openai_key', `OPENAI_API_KEY=sk-${L(48, 'b')}`, 'OPENAI_API_KEY=[REDACTED:openai_key]'],
    [
      'github_token',
      `ghp_${L(36, 'C')} and github_pat_${L(40, 'd')}`,
      '[REDACTED:github_token] and [REDACTED:github_token]',
    ],
    ['aws_access_key', 'id AKIAIOSFODNN7EXAMPLE.', 'id [REDACTED:aws_access_key].'],
    [
      'aws_secret',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key = [REDACTED:aws_secret]',
    ],
    ['google_api_key', `AIza${L(35, 'x')}`, '[REDACTED:google_api_key]'],
    ['slack_token', 'xoxb-123456789012-abcdefABCDEF', '[REDACTED:slack_token]'],
    ['jwt', `tok eyJ${L(20)}.eyJ${L(20)}.${L(30)}`, 'tok [REDACTED:jwt]'],
    [
      'bearer_token',
      'Authorization: Bearer abc.def-ghi_jkl',
      'Authorization: Bearer [REDACTED:bearer_token]',
    ],
    [
      'private_key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk sk-' +
        L(30) +
        '\n-----END OPENSSH PRIVATE KEY-----',
      '[REDACTED:private_key]',
    ],
    [
      'url_password',
      'git clone https://bob:hunter2secret@github.com/x/y',
      'git clone https://bob:[REDACTED:url_password]@github.com/x/y',
    ],
    [
      'secret_assignment',
      '"password": "correct-horse-battery"',
      '"password": "[REDACTED:secret_assignment]"',
    ],
  ])('redacts a %s', (kind, input, expected) => {
    const r = redactText(input, null);
    expect(r.text).toBe(expected);
    expect(Object.keys(r.counts)).toEqual([kind]);
  });

  it('counts every occurrence and leaves ordinary text alone', () => {
    const text = `a sk-${L(30)} b sk-${L(30, 'z')} c`;
    expect(redactText(text, null).counts).toEqual({ openai_key: 2 });
    const plain = 'the task-runner uses sk- prefixes, tokens: 12, a key-value store; ghp_short; Bearer x';
    expect(redactText(plain, null)).toEqual({ text: plain, counts: {} });
  });

  it('shortens the home folder to ~ as a whole segment only, also JSON-escaped on Windows', () => {
    expect(redactText('/home/alice/app and /home/alice and /home/alicex', '/home/alice')).toEqual({
      text: '~/app and ~ and /home/alicex',
      counts: { home_dir: 2 },
    });
    expect(redactText('{"cwd":"C:\\\\Users\\\\bob\\\\src"}', 'C:\\Users\\bob').text).toBe(
      '{"cwd":"~\\\\src"}',
    );
    expect(redactText('/x/y', '/').text).toBe('/x/y');
  });
});
