import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Real rollouts from public repositories; they stay outside the repo (see SOURCES.md there). */
export const realRolloutsDir = resolve(
  process.env.THREADSCOPE_FIXTURES_DIR ?? join(repoRoot, '..', 'shared', 'fixtures', 'rollouts', 'real'),
);

/** `owner__repo__rollout-2025-12-09T02-46-36-<uuid>.jsonl` → its parts. */
const CORPUS_NAME =
  /^(?:.+?__.+?__)?(rollout-(\d{4})-(\d{2})-(\d{2})T\d{2}-\d{2}-\d{2}-([0-9a-f-]{36})\.jsonl)$/;

/** The one corpus file that was archived in Codex; it goes to `archived_sessions/`. */
export const ARCHIVED_FIXTURE =
  'BearTDK6__ba-pro__rollout-2026-01-26T22-48-44-019bfafe-3da9-7880-ba6c-483ad20ea4af.jsonl';

export interface CodexHome {
  root: string;
  codexHome: string;
  dataDir: string;
  /** Rollout paths inside codexHome, keyed by thread id. */
  rollouts: Map<string, string>;
  cleanup(): Promise<void>;
}

export function fixturesAvailable(): boolean {
  return existsSync(realRolloutsDir);
}

/**
 * A temp CODEX_HOME laid out like Codex's: `sessions/YYYY/MM/DD/rollout-….jsonl` (date from the file
 * name, owner/repo prefix dropped) and the archived one flat in `archived_sessions/`; plus an empty
 * data dir for Threadscope's own databases.
 */
export async function createCodexHome(): Promise<CodexHome> {
  const root = await mkdtemp(join(tmpdir(), 'threadscope-e2e-'));
  const codexHome = join(root, 'codex-home');
  const dataDir = join(root, 'data');
  await mkdir(join(codexHome, 'archived_sessions'), { recursive: true });
  await mkdir(dataDir, { recursive: true });
  const rollouts = new Map<string, string>();
  for (const name of await readdir(realRolloutsDir)) {
    const m = CORPUS_NAME.exec(name);
    if (!m) continue;
    const [, file, yyyy, mm, dd, id] = m as unknown as [string, string, string, string, string, string];
    const dir =
      name === ARCHIVED_FIXTURE
        ? join(codexHome, 'archived_sessions')
        : join(codexHome, 'sessions', yyyy, mm, dd);
    await mkdir(dir, { recursive: true });
    await copyFile(join(realRolloutsDir, name), join(dir, file));
    rollouts.set(id, join(dir, file));
  }
  return { root, codexHome, dataDir, rollouts, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export interface NewRollout {
  id: string;
  path: string;
  title: string;
}

/**
 * Writes a small current-format rollout (session_meta, turn_context, user message) as Codex would.
 * `at` dates it (file name and every line; the thread's updated_at is its last line's time), e.g. a few
 * hours ago for a thread the memories pipeline sees as idle.
 */
export async function writeRollout(
  codexHome: string,
  title: string,
  cwd = '/home/e2e/live-project',
  at: Date = new Date(),
): Promise<NewRollout> {
  const id = randomUUID();
  const now = at;
  const iso = now.toISOString();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const [y, mo, d] = [now.getUTCFullYear(), pad(now.getUTCMonth() + 1), pad(now.getUTCDate())];
  const stamp = `${y}-${mo}-${d}T${pad(now.getUTCHours())}-${pad(now.getUTCMinutes())}-${pad(now.getUTCSeconds())}`;
  const dir = join(codexHome, 'sessions', String(y), mo, d);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `rollout-${stamp}-${id}.jsonl`);
  const lines = [
    {
      timestamp: iso,
      type: 'session_meta',
      payload: {
        id,
        timestamp: iso,
        cwd,
        originator: 'codex_cli_rs',
        cli_version: '0.111.0',
        source: 'cli',
        model_provider: 'openai',
        git: { commit_hash: 'abc123', branch: 'e2e-live', repository_url: 'git@github.com:acme/live.git' },
      },
    },
    {
      timestamp: iso,
      type: 'turn_context',
      payload: {
        cwd,
        approval_policy: 'on-request',
        sandbox_policy: { type: 'read-only' },
        model: 'gpt-5-codex',
      },
    },
    { timestamp: iso, type: 'event_msg', payload: { type: 'user_message', message: title, images: [] } },
  ];
  await writeFile(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return { id, path, title };
}
