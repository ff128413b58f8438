// Entry built to out/main/cli.js (run through `npm run cli -- …`).
import { builtWorkers } from '../app/worker-url.ts';
import { runCli } from './cli.ts';

process.exitCode = await runCli(
  process.argv.slice(2),
  process.stdout,
  process.stderr,
  builtWorkers(import.meta.url),
);
