import { parseArgs } from 'node:util';
import { defaultCodexHome, defaultDataDir } from '../core/paths.ts';
import { parseFeedbackArgs, type FeedbackCommand } from './cli-feedback-args.ts';
import { parseLogsArgs, type LogsCommand } from './cli-logs-args.ts';
import { parseMemoriesArgs, type MemoriesCommand } from './cli-memories-args.ts';

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  ingest   --codex-home DIR --data-dir DIR
           Scan CODEX_HOME's rollouts into the state DB; prints progress and a summary with problem files.
  threads  --codex-home DIR --data-dir DIR --json [--search TEXT] [--archived]
           Ingest if needed, then print every thread as a JSON array.
  logs     [--source app|codex] [--thread ID]... [--subagents] [--threadless] [--level LEVEL]
           [--since T] [--until T] [--target S] [--search S] [--process UUID] [--limit N]
           [--follow] [--poll-ms N] [--compact | --json] [--data-dir DIR] [--codex-home DIR]
           Print the newest N matching log rows (default 200), oldest first; --follow keeps printing
           new ones until Ctrl+C. --source app (default): Threadscope's logs_1.sqlite in the data dir;
           codex: Codex's logs DB (config sqlite_home, $CODEX_SQLITE_HOME or CODEX_HOME), read-only.
           --level is a minimum (trace, debug, info, warn, error); --subagents adds the sub-agents of
           --thread; --threadless adds rows without a thread (alone: only those); --target and --search
           match substrings of the target/module and the message; T is RFC 3339, unix seconds or an age
           (30s, 10m, 2h, 3d). Lines: time, level, [thread], target - message; --json: one object a line.
  feedback send --classification bug|bad_result|good_result|other [--thread ID] [--note TEXT |
           --note-file PATH] [--no-logs] [--rollout] [--file PATH]... [--exclude NAME]... [--dry-run]
           [--json] [--codex-home DIR] [--data-dir DIR]
           Build a feedback bundle (report, logs, diagnostics, --rollout of --thread, --file extras), all
           redacted, print what would be sent (parts, sizes, redactions, total, destination), then save it
           in <data dir>/feedback/<id>/ and upload it to $THREADSCOPE_FEEDBACK_ENDPOINT (a Sentry DSN or
           an https URL; unset: kept locally with an issue text to paste). --exclude leaves a part out by
           its printed name; --dry-run sends nothing; --json prints the draft (dry run) or the record.
           Exit 1 when the upload failed (the bundle is kept for \`feedback retry\`).
  feedback list [--json], feedback retry ID, feedback delete ID   (each with [--data-dir DIR])
           The saved bundles (ID, date, status, classification, thread, size); upload one again; delete one.
  memories status|jobs|outputs [--limit N]|files [--json]   (each with [--codex-home DIR] [--data-dir DIR])
           Pipeline settings, memory root, last run and counts; the memory jobs; the stage-1 outputs in
           phase-2 rank order; the files of the memory root.
  memories run [--json]
           Ingest, then run prune, phase 1 and phase 2 here, printing each phase, and wait for the report
           (Ctrl+C cancels). Exit 1 when it cannot start (e.g. the pipeline is off) or the run failed;
           threads that failed are listed and retried by a later run.
  memories enable | disable | set KEY VALUE... | set --provider codex-cli|openai|openai-compatible
           [--base-url URL] [--api-key-env NAME] [--command CMD]
           Change the pipeline settings (KEY: any field of \`memories status --json\`'s settings; VALUE
           default restores the built-in default; numbers out of range are clamped).
  memories cat PATH [--json]   Print a file of the memory root (e.g. MEMORY.md).
  memories mode THREAD_ID [enabled|disabled]   Show or set a thread's memory mode.
  memories drop | reset (alias clear) [--yes]
           drop: delete every stage-1 output, memory job and memory file; reset: also mark every
           enabled thread disabled and turn the pipeline off. Asks y/N on a terminal, else needs --yes.

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

export type CliCommand = IngestCommand | ThreadsCommand | LogsCommand | FeedbackCommand | MemoriesCommand;

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
    if (command === 'logs') return parseLogsArgs(rest);
    if (command === 'feedback') return parseFeedbackArgs(rest);
    if (command === 'memories') return parseMemoriesArgs(rest);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
  throw new UsageError(command ? `Unknown command: ${command}` : 'No command given');
}
