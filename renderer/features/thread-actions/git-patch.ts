import type { Thread } from '../../../preload/contract/index.ts';

export type GitKey = 'gitBranch' | 'gitSha' | 'gitOriginUrl';

export const GIT_FIELDS: readonly { key: GitKey; label: string; placeholder: string }[] = [
  { key: 'gitBranch', label: 'Branch', placeholder: 'main' },
  { key: 'gitSha', label: 'Commit', placeholder: 'full or short SHA' },
  { key: 'gitOriginUrl', label: 'Origin', placeholder: 'git@github.com:owner/repo.git' },
];

/** What the user typed per field; `cleared` = the Clear button was used (saved as null). */
export type Draft = Record<GitKey, { value: string; cleared: boolean }>;

export type PatchResult =
  | { ok: true; patch: Partial<Record<GitKey, string | null>> }
  | { ok: false; errors: Partial<Record<GitKey, string>> };

/**
 * The seed's tri-state patch from a draft: unchanged fields are omitted (kept), cleared ones are null,
 * edited ones are trimmed strings. An emptied field that was not cleared is an error, as on the server.
 */
export function buildGitPatch(thread: Thread, draft: Draft): PatchResult {
  const patch: Partial<Record<GitKey, string | null>> = {};
  const errors: Partial<Record<GitKey, string>> = {};
  for (const { key, label } of GIT_FIELDS) {
    const { value, cleared } = draft[key];
    const stored = thread[key];
    if (cleared) {
      if (stored !== null) patch[key] = null;
      continue;
    }
    const v = value.trim();
    if (v === '') {
      if (stored !== null) errors[key] = `${label} cannot be empty: type a value or use Clear to remove it.`;
      continue;
    }
    if (v !== stored) patch[key] = v;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, patch };
}
