import { describe, expect, it } from 'vitest';
import type { Thread } from '../../../preload/contract/index.ts';
import { buildGitPatch, type Draft } from './git-patch.ts';

const thread = { gitBranch: 'main', gitSha: 'abc1234', gitOriginUrl: null } as Thread;
const draft = (over: Partial<Draft> = {}): Draft => ({
  gitBranch: { value: 'main', cleared: false },
  gitSha: { value: 'abc1234', cleared: false },
  gitOriginUrl: { value: '', cleared: false },
  ...over,
});

describe('buildGitPatch (the editor’s tri-state patch)', () => {
  it.each<[string, Partial<Draft>, ReturnType<typeof buildGitPatch>]>([
    ['nothing changed: empty patch', {}, { ok: true, patch: {} }],
    [
      'an edit is trimmed and sent alone',
      { gitBranch: { value: ' dev ', cleared: false } },
      { ok: true, patch: { gitBranch: 'dev' } },
    ],
    ['Clear sends null', { gitSha: { value: '', cleared: true } }, { ok: true, patch: { gitSha: null } }],
    [
      'clearing an empty field sends nothing',
      { gitOriginUrl: { value: '', cleared: true } },
      { ok: true, patch: {} },
    ],
    [
      'filling an empty field sets it',
      { gitOriginUrl: { value: 'https://x/y.git', cleared: false } },
      { ok: true, patch: { gitOriginUrl: 'https://x/y.git' } },
    ],
    [
      'emptying a stored field without Clear is an error',
      { gitBranch: { value: '  ', cleared: false } },
      { ok: false, errors: { gitBranch: 'Branch cannot be empty: type a value or use Clear to remove it.' } },
    ],
  ])('%s', (_name, over, expected) => {
    expect(buildGitPatch(thread, draft(over))).toEqual(expected);
  });
});
