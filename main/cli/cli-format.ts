import type { Thread } from '../../preload/contract/index.ts';

/** The `threads --json` record: exactly these fields, ISO 8601 UTC times, null for absent values
 * (the seed's '' encodings of "none" become null). */
export interface ThreadJson {
  id: string;
  rolloutPath: string;
  createdAt: string;
  updatedAt: string;
  source: string;
  modelProvider: string;
  model: string | null;
  cwd: string | null;
  title: string | null;
  firstUserMessage: string | null;
  cliVersion: string | null;
  gitSha: string | null;
  gitBranch: string | null;
  gitOriginUrl: string | null;
  agentNickname: string | null;
  agentRole: string | null;
  parentThreadId: string | null;
  archived: boolean;
  tokensUsed: number;
}

const iso = (s: number): string => new Date(s * 1000).toISOString();

export function threadToJson(t: Thread): ThreadJson {
  return {
    id: t.id,
    rolloutPath: t.rolloutPath,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    source: t.source,
    modelProvider: t.modelProvider,
    model: t.model,
    cwd: t.cwd === '' ? null : t.cwd,
    title: t.title === '' ? null : t.title,
    firstUserMessage: t.firstUserMessage,
    cliVersion: t.cliVersion === '' ? null : t.cliVersion,
    gitSha: t.gitSha,
    gitBranch: t.gitBranch,
    gitOriginUrl: t.gitOriginUrl,
    agentNickname: t.agentNickname,
    agentRole: t.agentRole,
    parentThreadId: t.parentThreadId,
    archived: t.archived,
    tokensUsed: t.tokensUsed,
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
