import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './codex-home.ts';

export const serveEntry = join(repoRoot, 'out', 'main', 'serve.js');

export interface ServeProcess {
  /** `http://127.0.0.1:PORT/?token=…` as printed. */
  url: string;
  origin: string;
  token: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

const URL_LINE = /^Threadscope serving (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Runs the built serve entry exactly as a user would and waits for its one stdout line. `env` is added
 * to this process's environment (an `undefined` value removes a variable), e.g. a feedback endpoint.
 */
export async function startServe(
  codexHome: string,
  dataDir: string,
  timeoutMs = 30_000,
  env: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  if (!existsSync(serveEntry))
    throw new Error(`${serveEntry} is missing: run "npm run build" before the e2e tests`);
  const token = randomBytes(32).toString('hex');
  const child = spawn(
    process.execPath,
    [serveEntry, '--codex-home', codexHome, '--data-dir', dataDir, '--port', '0', '--token', token],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 2000);
    }
  };

  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string): void => {
      clearTimeout(timer);
      lines.close();
      reject(new Error(`serve did not start: ${why}\n--- stderr ---\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no URL within ${timeoutMs} ms`), timeoutMs);
    lines.on('line', (line) => {
      const m = URL_LINE.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      lines.close();
      resolve(m[1]!);
    });
    child.once('exit', (code, signal) => fail(`exited with ${code ?? signal}`));
    child.once('error', (err) => fail(err.message));
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });

  return { url, origin: new URL(url).origin, token, stderr: () => stderr, stop };
}
