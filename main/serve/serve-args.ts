import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCodexHome, defaultDataDir } from '../core/paths.ts';
import { isAcceptableToken } from './serve-auth.ts';
import { DEFAULT_HOST, isLoopbackAddress, urlHost } from './serve-guard.ts';

export const SERVE_USAGE = `Usage: npm run serve -- [--codex-home DIR] [--data-dir DIR] [--port N] [--token T]
                     [--host ADDR --allow-remote]

Serves Threadscope on http://127.0.0.1:PORT for any browser (e.g. over SSH port forwarding).
Every request needs the token; other Host names and cross-origin requests are refused, and an
address sending 10 wrong tokens within a minute is answered 429 for a minute.

  --codex-home DIR  Codex's home folder to read (default: $CODEX_HOME or ~/.codex)
  --data-dir DIR    Where Threadscope keeps its databases (default: $THREADSCOPE_DATA_DIR or the app's data folder)
  --port N          Port to listen on (default 0: any free port)
  --token T         Access token (default: 32 random bytes); at least 16 URL-safe characters
  --host ADDR       IP address to listen on (default 127.0.0.1); anything but loopback needs --allow-remote
  --allow-remote    Allow a non-loopback --host (e.g. 0.0.0.0): plain HTTP, the token travels unencrypted;
                    prefer ssh -L. Open it by IP address: host names are refused (DNS rebinding)
  -h, --help        Show this help

Environment: THREADSCOPE_LOG_LEVEL, THREADSCOPE_LOG_RETENTION_DAYS, THREADSCOPE_LOG_MAX_ROWS,
THREADSCOPE_LOG_MAX_BYTES (our logs), THREADSCOPE_FEEDBACK_ENDPOINT (a Sentry DSN or an https URL),
THREADSCOPE_FEEDBACK_MAX_BYTES, CODEX_SQLITE_HOME (where Codex's logs DB is read). See README: Configuration.
`;

export class ServeUsageError extends Error {}

export interface ServeArgs {
  help: boolean;
  codexHome: string;
  dataDir: string;
  port: number;
  token: string | undefined;
  /** Address to listen on. */
  host: string;
  /** True when `host` is not a loopback address (only with --allow-remote). */
  remote: boolean;
}

export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeArgs {
  let values: {
    'codex-home'?: string;
    'data-dir'?: string;
    port?: string;
    token?: string;
    host?: string;
    'allow-remote'?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'codex-home': { type: 'string' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        token: { type: 'string' },
        host: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new ServeUsageError((err as Error).message);
  }

  const portText = values.port ?? '0';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new ServeUsageError(`--port must be 0..65535, got "${portText}"`);

  const token = values.token;
  if (token !== undefined && !isAcceptableToken(token)) {
    throw new ServeUsageError('--token must be 16..256 characters of A-Z a-z 0-9 . _ ~ -');
  }
  const host = values.host ?? DEFAULT_HOST;
  if (isIP(host) === 0) throw new ServeUsageError(`--host must be an IP address, got "${host}"`);
  const remote = !isLoopbackAddress(host);
  if (remote && !values['allow-remote']) {
    throw new ServeUsageError(
      `--host ${host} would serve your Codex threads beyond this machine; add --allow-remote if you mean it (or use ssh -L with the default 127.0.0.1)`,
    );
  }
  for (const key of ['codex-home', 'data-dir'] as const) {
    if (values[key] !== undefined && values[key].trim() === '')
      throw new ServeUsageError(`--${key} must not be empty`);
  }

  return {
    help: values.help ?? false,
    codexHome: values['codex-home'] ? resolve(values['codex-home']) : defaultCodexHome(env),
    dataDir: values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir(env),
    port,
    token,
    host,
    remote,
  };
}

/** Printed on stderr at start-up when listening beyond loopback. */
export function remoteAccessWarning(host: string, port: number): string {
  return (
    `WARNING: listening on ${urlHost(host)}:${port}, reachable from other machines over plain HTTP. ` +
    'Anyone who sees the token (it travels unencrypted) can read your Codex threads and act on them. ' +
    'Prefer the default 127.0.0.1 with ssh -L; open this one by IP address (host names are refused).'
  );
}
