import type { Stats } from 'node:fs';
import { relative, sep } from 'node:path';
import { parseRolloutFileName } from '../rollouts/discover.ts';
import type { DiscoveredRollout } from '../rollouts/types.ts';

const ROLLOUT_NAME = /^rollout-.+\.jsonl(\.zst)?$/;

/** Describe one rollout path under CODEX_HOME the way discovery does, or null if it is not a rollout. */
export function describeRolloutPath(codexHome: string, path: string, st: Stats): DiscoveredRollout | null {
  const name = path.split(sep).pop() ?? '';
  if (!ROLLOUT_NAME.test(name) || !st.isFile()) return null;
  const watermark = relative(codexHome, path).split(sep).join('/');
  const archived = watermark.startsWith('archived_sessions/');
  if (!archived && !watermark.startsWith('sessions/')) return null;
  const compressed = name.endsWith('.zst');
  return {
    path,
    watermark,
    archived,
    compressed,
    size: st.size,
    mtimeMs: st.mtimeMs,
    idFromName: parseRolloutFileName(compressed ? name.slice(0, -4) : name)?.id ?? null,
  };
}
