import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse, type TomlTable } from 'smol-toml';

export type CodexConfig =
  | { ok: true; table: TomlTable; path: string }
  | { ok: false; path: string; missing: boolean; message: string };

/** `CODEX_HOME/config.toml`, read (never written). A missing file is an empty config, not an error. */
export function readCodexConfig(codexHome: string): CodexConfig {
  const path = join(codexHome, 'config.toml');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return missing
      ? { ok: true, table: {}, path }
      : { ok: false, path, missing, message: (err as Error).message };
  }
  try {
    return { ok: true, table: parse(text), path };
  } catch (err) {
    return {
      ok: false,
      path,
      missing: false,
      message: `config.toml is not valid TOML: ${(err as Error).message}`,
    };
  }
}

/**
 * Codex's sqlite home (seed §1): config key `sqlite_home`, else env `CODEX_SQLITE_HOME` (trimmed, empty =
 * unset, relative joined to the cwd), else CODEX_HOME.
 */
export function codexSqliteHome(
  codexHome: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  config: CodexConfig = readCodexConfig(codexHome),
): string {
  const fromConfig = config.ok ? config.table.sqlite_home : undefined;
  if (typeof fromConfig === 'string' && fromConfig.trim()) return resolve(cwd, fromConfig.trim());
  const v = env.CODEX_SQLITE_HOME?.trim();
  if (v) return isAbsolute(v) ? v : resolve(cwd, v);
  return codexHome;
}
