import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { arch, platform, release } from 'node:os';
import { codexSqliteHome } from '../core/codex-config.ts';
import { findCodexLogsDb } from '../logs/codex-logs.ts';

export interface DiagnosticsInput {
  codexHome: string;
  dataDir: string;
  appVersion: string;
  shell: string;
  /** Threads and rollout bytes our state DB knows (no re-scan of CODEX_HOME for a report). */
  threadCount: number;
  rolloutBytes: number;
  env?: NodeJS.ProcessEnv;
}

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy'];

const size = (path: string): string => {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'folder' : `${s.size.toLocaleString('en-US')} bytes`;
  } catch {
    return 'not found';
  }
};

/** The newest `<base>_N.sqlite` in `dir`, e.g. Codex's state DB. */
const newestVersioned = (dir: string, base: string): string | null => {
  try {
    const re = new RegExp(`^${base}_(\\d+)\\.sqlite$`);
    const hits = readdirSync(dir)
      .map((n) => ({ n, m: re.exec(n) }))
      .filter((x) => x.m)
      .sort((a, b) => Number(b.m?.[1]) - Number(a.m?.[1]));
    return hits[0] ? join(dir, hits[0].n) : null;
  } catch {
    return null;
  }
};

/**
 * `diagnostics.txt`: which Codex stores exist and how big they are, our DBs, versions, and the seed's
 * connectivity diagnostics (§7: proxy variables, OPENAI_BASE_URL). Redacted like every other part.
 */
export function diagnosticsText(d: DiagnosticsInput): string {
  const env = d.env ?? process.env;
  const sqliteHome = codexSqliteHome(d.codexHome, env);
  const codexState = newestVersioned(sqliteHome, 'state');
  const codexLogs = findCodexLogsDb(sqliteHome);
  const lines = [
    'Threadscope diagnostics',
    '',
    `app: Threadscope ${d.appVersion} (${d.shell})`,
    `os: ${platform()} ${release()} ${arch()}`,
    `runtime: node ${process.versions.node}` +
      (process.versions.electron ? `, electron ${process.versions.electron}` : '') +
      (process.versions.chrome ? `, chromium ${process.versions.chrome}` : ''),
    '',
    `CODEX_HOME: ${d.codexHome} (${existsSync(d.codexHome) ? 'found' : 'not found'})`,
    `  sessions/: ${size(join(d.codexHome, 'sessions'))}`,
    `  archived_sessions/: ${size(join(d.codexHome, 'archived_sessions'))}`,
    `  config.toml: ${size(join(d.codexHome, 'config.toml'))}`,
    `  memories/: ${size(join(d.codexHome, 'memories'))}`,
    `  threads indexed: ${d.threadCount.toLocaleString('en-US')}, rollout bytes: ${d.rolloutBytes.toLocaleString('en-US')}`,
    `Codex sqlite home: ${sqliteHome}`,
    `  state DB: ${codexState ? `${codexState} (${size(codexState)})` : 'not found'}`,
    `  logs DB: ${codexLogs ? `${codexLogs} (${size(codexLogs)})` : 'not found'}`,
    `Threadscope data dir: ${d.dataDir}`,
    ...['state_5.sqlite', 'search_1.sqlite', 'logs_1.sqlite'].map(
      (f) => `  ${f}: ${size(join(d.dataDir, f))}`,
    ),
  ];
  const connectivity: string[] = [];
  const proxies = PROXY_VARS.filter((k) => env[k]);
  if (proxies.length > 0) {
    connectivity.push('- Proxy environment variables are set and may affect connectivity.');
    for (const k of proxies) connectivity.push(`  - ${k} = ${env[k] ?? ''}`);
  }
  if (env.OPENAI_BASE_URL) {
    connectivity.push('- OPENAI_BASE_URL is set and may affect connectivity.');
    connectivity.push(`  - OPENAI_BASE_URL = ${env.OPENAI_BASE_URL}`);
  }
  if (connectivity.length > 0) lines.push('', 'Connectivity diagnostics', '', ...connectivity);
  return `${lines.join('\n')}\n`;
}
