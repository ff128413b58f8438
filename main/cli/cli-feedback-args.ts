import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ThreadId } from '../../preload/contract/common.ts';
import { FeedbackClassification } from '../../preload/contract/feedback.ts';
import { defaultCodexHome, defaultDataDir } from '../core/paths.ts';

interface FeedbackBase {
  command: 'feedback';
  codexHome: string;
  dataDir: string;
  json: boolean;
}

export interface FeedbackSendCommand extends FeedbackBase {
  action: 'send';
  threadId: string | null;
  classification: FeedbackClassification;
  /** `--note` as given; null when `--note-file` (or nothing) was. */
  note: string | null;
  /** Absolute path of `--note-file`. */
  noteFile: string | null;
  includeLogs: boolean;
  includeRollout: boolean;
  /** Absolute paths, in the order given. */
  files: string[];
  /** Part names as the preview prints them (`threadscope-logs.log`, `rollout.jsonl.gz`…). */
  exclude: string[];
  dryRun: boolean;
}

export interface FeedbackListCommand extends FeedbackBase {
  action: 'list';
}

export interface FeedbackIdCommand extends FeedbackBase {
  action: 'retry' | 'delete';
  id: string;
}

export type FeedbackCommand = FeedbackSendCommand | FeedbackListCommand | FeedbackIdCommand;

/** The contract's limits (`FeedbackDraftInput`), checked here so they are usage errors (exit 2). */
export const NOTE_MAX_CHARS = 20_000;
export const MAX_FILES = 20;
const FEEDBACK_ID = /^[0-9a-f]{32}$/;

/** A bad `feedback` argument; `parseCli` turns it into a usage error (exit 2). */
export class FeedbackArgError extends Error {}

const common = {
  'codex-home': { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export function parseFeedbackArgs(argv: string[]): FeedbackCommand {
  const [action, ...rest] = argv;
  const dirs = (v: { 'codex-home'?: string | undefined; 'data-dir'?: string | undefined }) => ({
    codexHome: v['codex-home'] ?? defaultCodexHome(),
    dataDir: v['data-dir'] ?? defaultDataDir(),
  });
  if (action === 'send') return parseSend(rest);
  if (action === 'list') {
    const { values } = parseArgs({ args: rest, options: common, strict: true, allowPositionals: false });
    return { command: 'feedback', action, ...dirs(values), json: values.json ?? false };
  }
  if (action === 'retry' || action === 'delete') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: common,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length !== 1)
      throw new FeedbackArgError(`feedback ${action}: give exactly one feedback ID (see \`feedback list\`)`);
    const id = (positionals[0] as string).toLowerCase();
    if (!FEEDBACK_ID.test(id))
      throw new FeedbackArgError(
        `feedback ${action}: ${positionals[0]} is not a feedback ID (32 hex digits)`,
      );
    return { command: 'feedback', action, ...dirs(values), json: values.json ?? false, id };
  }
  throw new FeedbackArgError(
    action ? `feedback: unknown action ${action} (send, list, retry, delete)` : 'feedback: no action given',
  );

  function parseSend(args: string[]): FeedbackSendCommand {
    const { values } = parseArgs({
      args,
      options: {
        ...common,
        thread: { type: 'string' },
        classification: { type: 'string' },
        note: { type: 'string' },
        'note-file': { type: 'string' },
        'no-logs': { type: 'boolean' },
        rollout: { type: 'boolean' },
        file: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
    const cls = FeedbackClassification.safeParse(values.classification);
    if (!cls.success)
      throw new FeedbackArgError(
        values.classification === undefined
          ? `feedback send: --classification is required (${FeedbackClassification.options.join(', ')})`
          : `feedback send: --classification must be one of ${FeedbackClassification.options.join(', ')}, not ${values.classification}`,
      );
    let threadId: string | null = null;
    if (values.thread !== undefined) {
      const t = ThreadId.safeParse(values.thread);
      if (!t.success)
        throw new FeedbackArgError(`feedback send: --thread ${values.thread} is not a thread ID (UUID)`);
      threadId = t.data;
    }
    if (values.rollout && !threadId)
      throw new FeedbackArgError('feedback send: --rollout needs --thread (whose rollout to attach)');
    if (values.note !== undefined && values['note-file'] !== undefined)
      throw new FeedbackArgError('feedback send: give --note or --note-file, not both');
    if (values.note !== undefined && values.note.length > NOTE_MAX_CHARS)
      throw new FeedbackArgError(`feedback send: --note is longer than ${NOTE_MAX_CHARS} characters`);
    const files = (values.file ?? []).map((f) => resolve(f));
    if (files.length > MAX_FILES)
      throw new FeedbackArgError(`feedback send: at most ${MAX_FILES} --file (got ${files.length})`);
    return {
      command: 'feedback',
      action: 'send',
      ...dirs(values),
      json: values.json ?? false,
      threadId,
      classification: cls.data,
      note: values.note ?? null,
      noteFile: values['note-file'] === undefined ? null : resolve(values['note-file']),
      includeLogs: !values['no-logs'],
      includeRollout: values.rollout ?? false,
      files,
      exclude: values.exclude ?? [],
      dryRun: values['dry-run'] ?? false,
    };
  }
}
