import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { gzip, zstdDecompress } from 'node:zlib';
import type {
  FeedbackClassification,
  FeedbackPart,
  FeedbackPartKind,
  RedactionCounts,
} from '../../preload/contract/feedback.ts';
import type { Slicer } from '../core/time-slice.ts';
import type { Thread } from '../../preload/contract/threads.ts';
import { redactLarge } from './redact-large.ts';
import { redactText } from './redact.ts';

const gzipAsync = promisify(gzip);
const zstdAsync = promisify(zstdDecompress);

/** A part of a draft: the bytes exactly as they would be sent, and the redacted text the preview shows. */
export interface DraftPart {
  id: string;
  kind: FeedbackPartKind;
  name: string;
  contentType: string;
  data: Buffer;
  /** Redacted text (for text parts; for the rollout, the text before compression). */
  text: string | null;
  redactions: RedactionCounts;
  source: string | null;
  required: boolean;
}

export interface DraftRequest {
  classification: FeedbackClassification;
  note: string;
  thread: Thread | null;
  includeLogs: boolean;
  includeRollout: boolean;
  extraFiles: string[];
}

export interface DraftSources {
  appVersion: string;
  shell: string;
  home: string | null;
  slicer: Slicer;
  /** Seed §4.6 exports (already flushed), or null when that DB is absent. */
  appLogs: () => Promise<Buffer | null>;
  codexLogs: () => Promise<Buffer | null>;
  diagnostics: () => string;
}

export interface Draft {
  draftId: string;
  feedbackId: string;
  createdAt: number;
  request: DraftRequest;
  /** The user's note, redacted: what the event carries. */
  note: string;
  parts: DraftPart[];
  warnings: string[];
}

const PREVIEW_CHARS = 200_000;

export function previewPart(p: DraftPart): FeedbackPart {
  const text = p.text === null ? null : p.text.slice(0, PREVIEW_CHARS);
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    contentType: p.contentType,
    bytes: p.data.length,
    text,
    truncated: p.text !== null && p.text.length > PREVIEW_CHARS,
    redactions: p.redactions,
    source: p.source,
    required: p.required,
  };
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
};

/** A NUL in the first 8 KiB: not text, so it cannot be checked for secrets. */
const looksBinary = (b: Buffer): boolean => b.subarray(0, 8192).includes(0);

/** A file name safe in any folder: no separators, no leading dot, nothing but a plain set of characters. */
const safeName = (name: string): string =>
  name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 120) || 'extra-log.log';

/** Unique file names within a bundle (`a.log`, `a-2.log`, …); `bundle.json` is the manifest's. */
function uniqueName(raw: string, taken: Set<string>): string {
  const name = safeName(raw);
  taken.add('bundle.json');
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${stem}-${i}${ext}`;
  taken.add(n);
  return n;
}

/**
 * Builds every part of a feedback bundle, redacted: the report (classification, note, thread metadata,
 * versions), both log exports (seed §4.6), diagnostics, optionally the rollout (gzip) and extra files.
 * Nothing is written or sent here.
 */
export async function buildDraft(req: DraftRequest, src: DraftSources): Promise<Draft> {
  const feedbackId = randomUUID().replaceAll('-', '');
  const createdAt = Date.now();
  const parts: DraftPart[] = [];
  const warnings: string[] = [];
  const names = new Set<string>();
  let seq = 0;
  const textPart = async (
    kind: FeedbackPartKind,
    name: string,
    contentType: string,
    raw: string,
    extra: Partial<DraftPart> = {},
  ): Promise<void> => {
    const r = await redactLarge(raw, src.home, src.slicer);
    parts.push({
      id: `p${++seq}`,
      kind,
      name: uniqueName(name, names),
      contentType,
      data: Buffer.from(r.text, 'utf8'),
      text: r.text,
      redactions: r.counts,
      source: null,
      required: false,
      ...extra,
    });
  };

  const note = redactText(req.note, src.home);
  const t = req.thread;
  const report = {
    feedbackId,
    createdAt: new Date(createdAt).toISOString(),
    classification: req.classification,
    note: req.note,
    thread: t && {
      id: t.id,
      title: t.title,
      source: t.source,
      originator: t.originator,
      model: t.model,
      modelProvider: t.modelProvider,
      cliVersion: t.cliVersion,
      cwd: t.cwd,
      createdAt: new Date(t.createdAt * 1000).toISOString(),
      updatedAt: new Date(t.updatedAt * 1000).toISOString(),
      archived: t.archived,
      git: { sha: t.gitSha, branch: t.gitBranch, originUrl: t.gitOriginUrl },
      parentThreadId: t.parentThreadId,
      rolloutPath: t.rolloutPath,
    },
    app: { name: 'Threadscope', version: src.appVersion, shell: src.shell },
    os: { platform: platform(), release: release(), arch: arch() },
  };
  await textPart('report', 'report.json', 'application/json', `${JSON.stringify(report, null, 2)}\n`, {
    required: true,
  });

  if (req.includeLogs) {
    const app = await src.appLogs();
    if (app && app.length > 0)
      await textPart('threadscope_logs', 'threadscope-logs.log', 'text/plain', app.toString('utf8'));
    else warnings.push("Threadscope's logs have no rows for this " + (t ? 'thread.' : 'session.'));
    if (t) {
      const codex = await src.codexLogs();
      if (codex === null) warnings.push("Codex's logs database was not found: no codex-logs.log.");
      else if (codex.length === 0) warnings.push("Codex's logs have no rows for this thread.");
      else await textPart('codex_logs', 'codex-logs.log', 'text/plain', codex.toString('utf8'));
    }
  }
  await textPart('diagnostics', 'diagnostics.txt', 'text/plain', src.diagnostics());

  if (req.includeRollout && t) {
    try {
      const raw = await readFile(t.rolloutPath);
      const text = (t.rolloutPath.endsWith('.zst') ? await zstdAsync(raw) : raw).toString('utf8');
      const r = await redactLarge(text, src.home, src.slicer);
      const data = await gzipAsync(Buffer.from(r.text, 'utf8'));
      parts.push({
        id: `p${++seq}`,
        kind: 'rollout',
        name: uniqueName('rollout.jsonl.gz', names),
        contentType: 'application/gzip',
        data,
        text: r.text,
        redactions: r.counts,
        source: t.rolloutPath,
        required: false,
      });
    } catch (err) {
      warnings.push(`The rollout file could not be read (${(err as Error).message}).`);
    }
  }

  for (const path of req.extraFiles) {
    let raw: Buffer;
    try {
      raw = await readFile(path);
    } catch (err) {
      warnings.push(
        `${path} was not attached: ${READ_ERRORS[(err as NodeJS.ErrnoException).code ?? ''] ?? (err as Error).message}.`,
      );
      continue;
    }
    if (looksBinary(raw)) {
      warnings.push(`${path} was not attached: it is not a text file, so it cannot be checked for secrets.`);
      continue;
    }
    await textPart('extra', basename(path) || 'extra-log.log', 'text/plain', raw.toString('utf8'), {
      source: redactText(path, src.home).text,
    });
  }
  return { draftId: randomUUID(), feedbackId, createdAt, request: req, note: note.text, parts, warnings };
}
