import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { ProviderError, startDeadline, type ProviderEnv } from './provider.ts';

/** One run of the Codex CLI: the prompt on stdin, stdout read line by line, the end of stderr kept. */
export interface CodexRun {
  command: string;
  args: string[];
  cwd: string;
  env: ProviderEnv;
  stdin: string;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  /** Called for every stdout line (the `--json` events). */
  onLine: (line: string) => void;
}

export interface CodexExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines of stderr. */
  stderrTail: string;
}

const STDERR_KEEP = 16 * 1024;
/** After SIGTERM, how long the process group gets before SIGKILL. */
export const KILL_GRACE_MS = 5_000;

/**
 * Runs the command in its own process group (POSIX), so a timeout or a cancel ends Codex and the tools it
 * started: SIGTERM to the group, SIGKILL after {@link KILL_GRACE_MS}; the call settles once the process is
 * gone. A missing executable is `not_found`; the exit status is returned, not judged.
 */
export function runCodex(run: CodexRun): Promise<CodexExit> {
  const what = `Codex (${run.command} exec)`;
  const deadline = startDeadline(run.signal, run.timeoutMs);
  if (deadline.reason()) {
    deadline.dispose();
    return Promise.reject(deadline.error(what));
  }
  return new Promise<CodexExit>((resolve, reject) => {
    const posix = process.platform !== 'win32';
    const child = spawn(run.command, run.args, {
      cwd: run.cwd,
      env: run.env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: posix,
      windowsHide: true,
    });
    let stderr = '';
    let spawnError: NodeJS.ErrnoException | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    const kill = (sig: NodeJS.Signals): void => {
      try {
        if (posix && child.pid !== undefined) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const onAbort = (): void => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    deadline.signal.addEventListener('abort', onAbort, { once: true });

    const decoder = new StringDecoder('utf8');
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += decoder.write(chunk);
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        run.onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.stdin.on('error', () => {}); // Codex may exit before reading everything (EPIPE)
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError ??= err;
    });
    child.on('close', (code, signal) => {
      deadline.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      const rest = pending + decoder.end();
      if (rest) run.onLine(rest);
      const why = deadline.reason();
      deadline.dispose();
      if (why) return reject(deadline.error(what, '; its processes were stopped'));
      if (spawnError) return reject(spawnFailure(run.command, spawnError));
      resolve({ code, signal, stderrTail: stderr });
    });
    if (child.pid !== undefined) child.stdin.end(run.stdin);
  });
}

function spawnFailure(command: string, err: NodeJS.ErrnoException): ProviderError {
  if (err.code === 'ENOENT')
    return new ProviderError(
      'not_found',
      `The Codex CLI "${command}" was not found${command.includes('/') || command.includes('\\') ? '' : ' on PATH'}. Install Codex, or set the command to its full path in the memories settings.`,
      { cause: err },
    );
  return new ProviderError('failed', `The Codex CLI "${command}" could not be started: ${err.message}`, {
    cause: err,
  });
}

/** The last `n` non-empty lines of a text. */
export function lastLines(text: string, n: number): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .slice(-n)
    .join('\n');
}
