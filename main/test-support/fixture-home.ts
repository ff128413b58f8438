import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real rollouts shared beside the repo (CI always has them; a user's clone may not). */
export const realFixturesDir = fileURLToPath(
  new URL('../../../shared/fixtures/rollouts/real/', import.meta.url),
);
export const haveRealFixtures = existsSync(realFixturesDir);
export const NO_FIXTURES_MESSAGE = `real rollout fixtures not found at ${realFixturesDir} (they live in ../shared beside the repo)`;

export interface FixtureFile {
  /** Name in the shared folder (`owner__repo__rollout-….jsonl`). */
  source: string;
  /** Rollout file name as Codex wrote it. */
  name: string;
  /** Where it was placed under the temp CODEX_HOME. */
  path: string;
  archived: boolean;
}

/**
 * Lays the real fixtures out as a CODEX_HOME: `sessions/YYYY/MM/DD/<name>` (date from the file name)
 * or `archived_sessions/<name>` for names matched by `archive`.
 */
export function buildFixtureHome(
  home: string,
  archive: (name: string) => boolean = () => false,
): FixtureFile[] {
  const out: FixtureFile[] = [];
  for (const source of readdirSync(realFixturesDir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()) {
    const name = source.slice(source.indexOf('rollout-'));
    const m = /^rollout-(\d{4})-(\d{2})-(\d{2})T/.exec(name);
    const archived = archive(name);
    const dir = archived
      ? join(home, 'archived_sessions')
      : join(home, 'sessions', m?.[1] ?? '', m?.[2] ?? '', m?.[3] ?? '');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    copyFileSync(join(realFixturesDir, source), path);
    out.push({ source, name, path, archived });
  }
  return out;
}
