import { fileURLToPath } from 'node:url';
import { createAppCore, type AppCore } from '../app/app-core.ts';
import {
  parseServeArgs,
  remoteAccessWarning,
  SERVE_USAGE,
  ServeUsageError,
  type ServeArgs,
} from './serve-args.ts';
import { startServeShell, type ServeShell } from './serve-shell.ts';
import { builtWorkers } from '../app/worker-url.ts';
import {
  FeedbackConfigError,
  feedbackConfigFromEnv,
  type FeedbackConfig,
} from '../feedback/feedback-config.ts';
import { LogsConfigError, logsConfigFromEnv } from '../logs/logs-config.ts';
import type { LogsConfig } from '../logs/logs-service.ts';

/** Entry of `out/main/serve.js`: stdout carries exactly one line (the URL); everything else goes to stderr. */
const log = (line: string): void => {
  process.stderr.write(`[threadscope serve] ${line}\n`);
};

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function main(): Promise<void> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof ServeUsageError)) throw err;
    process.stderr.write(`threadscope serve: ${err.message}\n\n${SERVE_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(SERVE_USAGE);
    return;
  }

  let logs: Partial<LogsConfig>;
  let feedback: FeedbackConfig;
  try {
    logs = logsConfigFromEnv();
    feedback = feedbackConfigFromEnv();
  } catch (err) {
    if (!(err instanceof LogsConfigError) && !(err instanceof FeedbackConfigError)) throw err;
    process.stderr.write(`threadscope serve: ${err.message}\n`);
    process.exit(2);
  }

  // The built renderer sits next to the built main bundle: out/main/serve.js -> out/renderer/.
  const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));

  let core: AppCore;
  try {
    core = await createAppCore({
      codexHome: args.codexHome,
      dataDir: args.dataDir,
      shell: 'serve',
      workers: builtWorkers(import.meta.url),
      logs,
      feedback,
    });
  } catch (err) {
    log(`cannot open the data dir ${args.dataDir}: ${errorText(err)}`);
    process.exit(1);
  }

  let shell: ServeShell;
  try {
    shell = await startServeShell({
      router: core.router,
      bus: core.bus,
      rendererDir,
      port: args.port,
      host: args.host,
      token: args.token,
      onError: (err) =>
        log(`request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    log(code === 'EADDRINUSE' ? `port ${args.port} is already in use` : `cannot listen: ${errorText(err)}`);
    await core.close().catch(() => undefined);
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: shutting down`);
    const force = setTimeout(() => {
      log('shutdown took too long; exiting');
      process.exit(1);
    }, 5000);
    force.unref();
    // Server first, so no request reaches a closing database.
    void (async () => {
      await shell.close().catch((err: unknown) => log(`closing the server failed: ${errorText(err)}`));
      await core.close().catch((err: unknown) => log(`closing the core failed: ${errorText(err)}`));
      process.exit(0);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (args.remote) log(remoteAccessWarning(shell.host, shell.port));
  process.stdout.write(`Threadscope serving ${shell.url}\n`);
  log(`CODEX_HOME ${core.info.codexHome}; data dir ${core.info.dataDir}`);

  // Ingest and watch in the background: the page is usable (and shows progress) while it runs.
  core.start().then(
    (summary) =>
      log(
        `ingest done: ${summary.filesIngested} of ${summary.filesSeen} files read, ${summary.threadsUpserted} threads, ` +
          `${summary.problems.length} problems, ${Math.round(summary.durationMs)} ms`,
      ),
    (err: unknown) => log(`ingest failed: ${errorText(err)}`),
  );
}

main().catch((err: unknown) => {
  log(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
