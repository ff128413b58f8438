import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** CODEX_HOME as Codex resolves it: the env var, else ~/.codex. */
export function defaultCodexHome(env: NodeJS.ProcessEnv = process.env): string {
  const v = env.CODEX_HOME?.trim();
  return v ? resolve(v) : join(homedir(), '.codex');
}

/**
 * Where Threadscope keeps its own databases. Matches Electron's `userData` for the app name so the
 * desktop app, `serve` and the CLI share one state DB; THREADSCOPE_DATA_DIR overrides.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const v = env.THREADSCOPE_DATA_DIR?.trim();
  if (v) return resolve(v);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Threadscope');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Threadscope');
  return join(env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config'), 'Threadscope');
}
