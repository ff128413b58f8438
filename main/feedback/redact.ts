import { homedir } from 'node:os';
import type { RedactionCounts } from '../../preload/contract/feedback.ts';

interface Rule {
  kind: string;
  re: RegExp;
  /** Replacement keeping a prefix (e.g. the header name) when the pattern captured one. */
  keep?: boolean;
}

/**
 * What never leaves the machine. Ordered: whole blocks and structured forms first, so a key inside a
 * private-key block or a bearer header is counted once, as what it is.
 */
const RULES: readonly Rule[] = [
  {
    kind: 'private_key',
    re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g,
  },
  { kind: 'url_password', re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]+:)[^\s@/'"]+(?=@)/gi, keep: true },
  { kind: 'bearer_token', re: /(\bBearer\s+)[A-Za-z0-9._~+/-]{12,}=*/g, keep: true },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'openai_key', re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { kind: 'github_token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g },
  { kind: 'aws_access_key', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  {
    kind: 'aws_secret',
    re: /(\baws_secret_access_key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi,
    keep: true,
  },
  { kind: 'google_api_key', re: /\bAIza[0-9A-Za-z_-]{35}/g },
  { kind: 'slack_token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  {
    kind: 'secret_assignment',
    re: /(\b(?:api[_-]?key|secret|password|passwd|token)["']?\s*[:=]\s*["']?)(?!\[REDACTED)[^\s"',;]{8,}/gi,
    keep: true,
  },
];

export const REDACTION_LABELS: Readonly<Record<string, string>> = {
  private_key: 'private key block',
  url_password: 'password in a URL',
  bearer_token: 'bearer token',
  jwt: 'JWT',
  openai_key: 'OpenAI key',
  github_token: 'GitHub token',
  aws_access_key: 'AWS access key',
  aws_secret: 'AWS secret key',
  google_api_key: 'Google API key',
  slack_token: 'Slack token',
  secret_assignment: 'secret value',
  home_dir: 'home folder path',
};

export interface Redacted {
  text: string;
  counts: RedactionCounts;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces secrets with `[REDACTED:<kind>]` and the home folder with `~` (also in its JSON-escaped
 * Windows form), counting each kind. `home` defaults to the user's home folder; a home of `/` or
 * shorter than 3 characters is not replaced (it would rewrite every path).
 */
export function redactText(
  input: string,
  home: string | null = homedir(),
  placeholder: (kind: string) => string = (kind) => `[REDACTED:${kind}]`,
): Redacted {
  const counts: RedactionCounts = {};
  const bump = (kind: string): void => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  let text = input;
  for (const rule of RULES) {
    text = text.replace(rule.re, (...m: unknown[]) => {
      bump(rule.kind);
      return `${rule.keep ? String(m[1]) : ''}${placeholder(rule.kind)}`;
    });
  }
  const h = home?.replace(/[\\/]+$/, '') ?? '';
  if (h.length >= 3) {
    const forms = [h, ...(h.includes('\\') ? [h.replaceAll('\\', '\\\\')] : [])];
    for (const form of forms) {
      // Only as a whole path segment: `/home/al` must not rewrite `/home/alice`.
      const re = new RegExp(`${escapeRe(form)}(?![A-Za-z0-9_.-])`, 'g');
      text = text.replace(re, () => {
        bump('home_dir');
        return '~';
      });
    }
  }
  return { text, counts };
}

/** Sum of two count maps. */
export const addCounts = (a: RedactionCounts, b: RedactionCounts): RedactionCounts => {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
};
