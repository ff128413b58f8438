import { readFile } from 'node:fs/promises';
import type {
  FeedbackDraft,
  FeedbackEndpoint,
  FeedbackPart,
  FeedbackRecord,
  RedactionCounts,
} from '../../preload/contract/index.ts';
import type { AppCore } from '../app/app-core.ts';
import type { WorkerScripts } from '../app/worker-url.ts';
import {
  FeedbackConfigError,
  feedbackConfigFromEnv,
  type FeedbackConfig,
} from '../feedback/feedback-config.ts';
import type { Writable } from './cli.ts';
import { call, withCliCore } from './cli-core.ts';
import { formatBytes } from './cli-format.ts';
import {
  NOTE_MAX_CHARS,
  type FeedbackCommand,
  type FeedbackIdCommand,
  type FeedbackSendCommand,
} from './cli-feedback-args.ts';

export interface FeedbackRunOptions {
  /** Where THREADSCOPE_FEEDBACK_ENDPOINT / _MAX_BYTES are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

const shellQuote = (s: string): string =>
  /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;

const redactionText = (r: RedactionCounts): string => {
  const kinds = Object.entries(r);
  return kinds.length === 0 ? 'no redactions' : `redacted: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`;
};

export function destinationText(e: FeedbackEndpoint): string {
  if (e.kind === 'sentry') return `Sentry ${e.display ?? ''}`;
  if (e.kind === 'https') return `${e.display ?? ''} (HTTPS upload)`;
  return `kept on this computer, with an issue text to paste (${e.notice ?? 'no endpoint'})`;
}

function previewText(d: FeedbackDraft, excluded: ReadonlySet<string>, about: string): string {
  const rows = d.parts.map((p: FeedbackPart) => {
    const notes = [
      excluded.has(p.id) ? 'EXCLUDED' : redactionText(p.redactions),
      ...(p.required ? ['required'] : []),
      ...(p.source !== null && p.kind === 'extra' ? [`from ${p.source}`] : []),
    ];
    return [p.name, formatBytes(p.bytes), notes.join('; ')] as const;
  });
  const nameW = Math.max(...rows.map((r) => r[0].length));
  const sizeW = Math.max(...rows.map((r) => r[1].length));
  const total = d.parts.filter((p) => !excluded.has(p.id)).reduce((s, p) => s + p.bytes, 0);
  const lines = [
    `Feedback ${d.feedbackId} about ${about}`,
    'Parts (redacted, as they would be sent):',
    ...rows.map(([n, s, notes]) => `  ${n.padEnd(nameW)}  ${s.padStart(sizeW)}  ${notes}`),
  ];
  if (d.warnings.length > 0) lines.push('Warnings:', ...d.warnings.map((w) => `  - ${w}`));
  const over = total > d.limitBytes ? ' - OVER THE LIMIT: exclude the rollout or a large file' : '';
  const skipped = excluded.size > 0 ? `, ${excluded.size} part${excluded.size > 1 ? 's' : ''} excluded` : '';
  lines.push(`Total: ${formatBytes(total)} of ${formatBytes(d.limitBytes)} allowed${skipped}${over}`);
  lines.push(`Goes to: ${destinationText(d.endpoint)}`);
  return `${lines.join('\n')}\n`;
}

interface ResultContext {
  json: boolean;
  dataDir: string;
  /** Where this attempt went: the service's current endpoint (a record keeps the one it was created with). */
  endpoint: FeedbackEndpoint;
}

/** What happened to a bundle after send or retry; the exit code is 1 only for a failed upload. */
function reportResult(r: FeedbackRecord, cmd: ResultContext, out: Writable, err: Writable): number {
  if (cmd.json) out.write(`${JSON.stringify(r, null, 2)}\n`);
  if (r.status === 'failed') {
    if (!cmd.json)
      out.write(
        `Feedback ${r.id}: failed after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}: ${r.error ?? ''}\nBundle: ${r.path}\n`,
      );
    err.write(
      `threadscope: feedback ${r.id} was not sent; the bundle is kept in ${r.path}.\n` +
        `Send it again with: npm run cli -- feedback retry ${r.id} --data-dir ${shellQuote(cmd.dataDir)}\n`,
    );
    return 1;
  }
  if (cmd.json) return 0;
  if (r.status === 'sent') {
    const remote = r.remoteId ? ` (remote id ${r.remoteId})` : '';
    out.write(`Feedback ${r.id}: sent to ${destinationText(cmd.endpoint)}${remote}\nBundle: ${r.path}\n`);
  } else {
    out.write(
      `Feedback ${r.id}: saved, not sent: ${cmd.endpoint.notice ?? 'no endpoint'}\nBundle: ${r.path}\n` +
        `Paste this into an issue and attach the files from the bundle folder:\n\n${r.issueText ?? ''}`,
    );
  }
  return 0;
}

async function runSend(
  core: AppCore,
  cmd: FeedbackSendCommand,
  note: string,
  out: Writable,
  err: Writable,
): Promise<number> {
  if (cmd.threadId) await core.start(); // the thread must be in the state DB, up to date
  const draft = await call(core, 'feedback:draft', {
    classification: cmd.classification,
    note,
    threadId: cmd.threadId,
    includeLogs: cmd.includeLogs,
    includeRollout: cmd.includeRollout,
    extraFiles: cmd.files,
  });
  const excluded = new Set<string>();
  for (const name of cmd.exclude) {
    const part = draft.parts.find((p) => p.name === name);
    if (!part || part.required) {
      const optional = draft.parts.filter((p) => !p.required).map((p) => p.name);
      err.write(
        `threadscope: feedback send: --exclude ${name}: ${part ? 'the report is always sent' : 'no such part'}` +
          ` (parts that can be left out: ${optional.join(', ') || 'none'})\n`,
      );
      return 2;
    }
    excluded.add(part.id);
  }
  let about = 'the app';
  if (cmd.threadId) {
    const { title } = await call(core, 'threads:get', { id: cmd.threadId });
    const short = title.length > 60 ? `${title.slice(0, 59)}…` : title;
    about = `thread ${cmd.threadId}${short ? ` "${short}"` : ''}`;
  }
  about += ` (${cmd.classification})`;
  if (cmd.json && cmd.dryRun) out.write(`${JSON.stringify(draft, null, 2)}\n`);
  if (!cmd.json) out.write(previewText(draft, excluded, about));
  if (cmd.dryRun) {
    if (!cmd.json) out.write('Dry run: nothing was saved or sent.\n');
    return 0;
  }
  const record = await call(core, 'feedback:send', { draftId: draft.draftId, exclude: [...excluded] });
  if (!cmd.json) out.write('\n');
  return reportResult(
    record,
    { json: cmd.json, dataDir: core.info.dataDir, endpoint: draft.endpoint },
    out,
    err,
  );
}

async function runRetry(
  core: AppCore,
  cmd: FeedbackIdCommand,
  out: Writable,
  err: Writable,
): Promise<number> {
  const record = await call(core, 'feedback:retry', { id: cmd.id });
  const endpoint = await call(core, 'feedback:endpoint', {});
  return reportResult(record, { json: cmd.json, dataDir: core.info.dataDir, endpoint }, out, err);
}

function listText(records: readonly FeedbackRecord[], dataDir: string): string {
  if (records.length === 0) return `No feedback bundles in ${dataDir}/feedback.\n`;
  const rows = [
    ['ID', 'DATE (UTC)', 'STATUS', 'CLASSIFICATION', 'THREAD', 'SIZE'],
    ...records.map((r) => [
      r.id,
      new Date(r.createdAt).toISOString().slice(0, 19).replace('T', ' '),
      r.status,
      r.classification,
      r.threadId ?? '-',
      formatBytes(r.totalBytes),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
        .join('  '),
    )
    .map((l) => `${l.trimEnd()}\n`)
    .join('');
}

/** `feedback send|list|retry|delete`: the same feedback service as the Feedback page, through the router. */
export async function runFeedback(
  cmd: FeedbackCommand,
  out: Writable,
  err: Writable,
  workers: WorkerScripts | null,
  opts: FeedbackRunOptions = {},
): Promise<number> {
  let note = '';
  if (cmd.action === 'send') {
    if (cmd.noteFile !== null) {
      try {
        note = await readFile(cmd.noteFile, 'utf8');
      } catch (e) {
        err.write(
          `threadscope: feedback send: cannot read --note-file ${cmd.noteFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`,
        );
        return 2;
      }
      if (note.length > NOTE_MAX_CHARS) {
        err.write(
          `threadscope: feedback send: --note-file ${cmd.noteFile} is longer than ${NOTE_MAX_CHARS} characters\n`,
        );
        return 2;
      }
    } else note = cmd.note ?? '';
  }
  // Only sending needs the endpoint: a bad setting must not stop `list` or `delete`.
  let feedback: Partial<FeedbackConfig> = {};
  if (cmd.action === 'send' || cmd.action === 'retry') {
    try {
      feedback = feedbackConfigFromEnv(opts.env ?? process.env);
    } catch (e) {
      if (!(e instanceof FeedbackConfigError)) throw e;
      err.write(`threadscope: ${e.message}\n`);
      return 2;
    }
  }
  return withCliCore(
    cmd,
    workers,
    async (core) => {
      switch (cmd.action) {
        case 'send':
          return await runSend(core, cmd, note, out, err);
        case 'retry':
          return await runRetry(core, cmd, out, err);
        case 'delete': {
          const { id } = await call(core, 'feedback:remove', { id: cmd.id });
          out.write(cmd.json ? `${JSON.stringify({ id })}\n` : `Deleted feedback ${id}.\n`);
          return 0;
        }
        case 'list': {
          const records = await call(core, 'feedback:list', {});
          out.write(
            cmd.json ? `${JSON.stringify(records, null, 2)}\n` : listText(records, core.info.dataDir),
          );
          return 0;
        }
      }
    },
    { feedback },
  );
}
