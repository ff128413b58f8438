import { parseArgs } from 'node:util';
import { defaultCodexHome, defaultDataDir } from '../core/paths.ts';

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  ingest   --codex-home DIR --data-dir DIR
           Scan CODEX_HOME's rollouts into the state DB; prints progress and a summary with problem files.
  threads  --codex-home DIR --data-dir DIR --json [--search TEXT] [--archived]
           Ingest if needed, then print every thread as a JSON array.

Defaults: --codex-home $CODEX_HOME or ~/.codex; --data-dir $THREADSCOPE_DATA_DIR or the app's data folder.
`;

export class UsageError extends Error {}

export interface IngestCommand {
  command: 'ingest';
  codexHome: string;
  dataDir: string;
}

export interface ThreadsCommand {
  command: 'threads';
  codexHome: string;
  dataDir: string;
  json: boolean;
  search: string | undefined;
  archived: boolean;
}

export type CliCommand = IngestCommand | ThreadsCommand;

export function parseCli(argv: string[]): CliCommand {
  const [command, ...rest] = argv;
  const common = { 'codex-home': { type: 'string' }, 'data-dir': { type: 'string' } } as const;
  try {
    if (command === 'ingest') {
      const { values } = parseArgs({ args: rest, options: common, strict: true, allowPositionals: false });
      return {
        command,
        codexHome: values['codex-home'] ?? defaultCodexHome(),
        dataDir: values['data-dir'] ?? defaultDataDir(),
      };
    }
    if (command === 'threads') {
      const { values } = parseArgs({
        args: rest,
        options: {
          ...common,
          json: { type: 'boolean' },
          search: { type: 'string' },
          archived: { type: 'boolean' },
        },
        strict: true,
        allowPositionals: false,
      });
      if (!values.json) throw new UsageError('threads: --json is required (it is the only output format)');
      return {
        command,
        codexHome: values['codex-home'] ?? defaultCodexHome(),
        dataDir: values['data-dir'] ?? defaultDataDir(),
        json: true,
        search: values.search,
        archived: values.archived ?? false,
      };
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
  throw new UsageError(command ? `Unknown command: ${command}` : 'No command given');
}
