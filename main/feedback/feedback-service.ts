import { statSync } from 'node:fs';
import { homedir, arch, platform, release } from 'node:os';
import { join } from 'node:path';
import type {
  FeedbackDraft,
  FeedbackDraftInput,
  FeedbackEndpoint,
  FeedbackRecord,
} from '../../preload/contract/feedback.ts';
import { AppError } from '../core/app-error.ts';
import type { Slicer } from '../core/time-slice.ts';
import type { LogsService } from '../logs/logs-service.ts';
import { readLogTableShape } from '../logs/log-table.ts';
import { openDatabase, type Db } from '../state/connection.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { diagnosticsText } from './diagnostics.ts';
import { buildDraft, previewPart, type Draft } from './feedback-draft.ts';
import { FeedbackEndpointError, parseFeedbackEndpoint, type UploadTarget } from './feedback-endpoint.ts';
import { FEEDBACK_MMAP_BYTES, queryFeedbackLogs, type FeedbackLogScope } from './feedback-logs.ts';
import { issueText } from './feedback-issue.ts';
import { FeedbackStore, FEEDBACK_ID } from './feedback-store.ts';
import { FeedbackUploadError, uploadFeedback, type UploadOptions } from './feedback-upload.ts';

/** Sentry accepts envelopes up to ~20 MB compressed per attachment set; we stay under it. */
export const DEFAULT_FEEDBACK_MAX_BYTES = 20 * 1024 * 1024;
const DRAFT_TTL_MS = 60 * 60 * 1000;
/** Drafts hold whole redacted texts (a rollout can be 100 MB): only the latest few are kept. */
const MAX_DRAFTS = 3;

export interface FeedbackServiceOptions {
  dataDir: string;
  codexHome: string;
  stateDb: Db;
  logs: LogsService;
  appVersion: string;
  shell: string;
  slicer: Slicer;
  /** `THREADSCOPE_FEEDBACK_ENDPOINT`: a Sentry DSN or an https URL; empty keeps bundles local. */
  endpoint: string | null;
  maxBytes?: number;
  upload?: UploadOptions;
  onChanged: (id: string) => void;
  /** The desktop shell's file manager; null in serve and tests. */
  showItemInFolder?: ((path: string) => void) | null;
  /** For redaction (default: the user's home folder). */
  home?: string | null;
}

export interface FeedbackService {
  endpoint(): FeedbackEndpoint;
  draft(
    input: FeedbackDraftInput & {
      note: string;
      includeLogs: boolean;
      includeRollout: boolean;
      extraFiles: string[];
    },
  ): Promise<FeedbackDraft>;
  partText(
    draftId: string,
    partId: string,
    offset: number,
    limit: number,
  ): { text: string; nextOffset: number | null };
  send(draftId: string, exclude: readonly string[]): Promise<FeedbackRecord>;
  list(): FeedbackRecord[];
  retry(id: string): Promise<FeedbackRecord>;
  remove(id: string): { id: string };
  reveal(id: string): { path: string; shown: boolean };
}

/**
 * Feedback bundles: drafts are built and redacted in memory (what the preview shows is exactly what
 * is sent), written to `<data dir>/feedback/<id>/` on send, then uploaded to the configured endpoint
 * (or kept locally with an issue text). A failed upload keeps the bundle for a retry.
 */
export function createFeedbackService(o: FeedbackServiceOptions): FeedbackService {
  const store = new FeedbackStore(o.dataDir);
  const threads = createThreadRepo(o.stateDb);
  const drafts = new Map<string, Draft & { expires: number }>();
  const sending = new Set<string>();
  const maxBytes = o.maxBytes ?? DEFAULT_FEEDBACK_MAX_BYTES;
  const home = o.home === undefined ? homedir() : o.home;
  const log = o.logs.logger.child('threadscope::feedback', 'main/feedback/feedback-service.ts');

  let target: UploadTarget | null = null;
  let endpoint: FeedbackEndpoint = {
    kind: 'none',
    display: null,
    notice: 'No feedback endpoint is configured (THREADSCOPE_FEEDBACK_ENDPOINT): bundles are saved locally.',
  };
  if (o.endpoint?.trim()) {
    try {
      target = parseFeedbackEndpoint(o.endpoint.trim());
      endpoint = { kind: target.kind, display: target.display, notice: null };
    } catch (err) {
      if (!(err instanceof FeedbackEndpointError)) throw err;
      endpoint = {
        kind: 'none',
        display: null,
        notice: err.message,
      };
    }
  }

  /** Seed §4.6 over one logs DB file, on a connection of its own (the walk yields with it open). */
  const exportLogs = async (file: string | null, scope: FeedbackLogScope | null): Promise<Buffer | null> => {
    if (!file || !scope) return null;
    let db: Db;
    try {
      db = openDatabase(file, { readonly: true });
      db.pragma(`mmap_size = ${FEEDBACK_MMAP_BYTES}`);
    } catch {
      return null;
    }
    try {
      return await queryFeedbackLogs(db, readLogTableShape(db), scope, o.slicer);
    } finally {
      db.close();
    }
  };

  const prune = (): void => {
    const now = Date.now();
    for (const [id, d] of drafts) if (d.expires < now) drafts.delete(id);
    while (drafts.size > MAX_DRAFTS) drafts.delete(drafts.keys().next().value ?? '');
  };

  const getDraft = (draftId: string): Draft => {
    prune();
    const d = drafts.get(draftId);
    if (!d) throw new AppError('NOT_FOUND', 'This preview has expired: build it again.');
    return d;
  };

  const attachmentsOf = (r: FeedbackRecord) =>
    r.parts.map((p) => ({
      filename: p.name,
      contentType: p.contentType,
      data: store.readPart(r.id, p.name),
    }));

  const upload = async (record: FeedbackRecord): Promise<FeedbackRecord> => {
    if (!target) {
      const saved: FeedbackRecord = {
        ...record,
        status: 'saved',
        issueText: issueText(record, o.appVersion, home),
      };
      store.update(saved);
      log.info(`feedback ${record.id} saved locally (no endpoint)`, { threadId: record.threadId });
      o.onChanged(record.id);
      return saved;
    }
    sending.add(record.id);
    // Recorded with the endpoint it goes to now (a retry may go elsewhere than the first attempt).
    const attempt: FeedbackRecord = {
      ...record,
      endpoint,
      status: 'sending',
      attemptedAt: Date.now(),
      error: null,
    };
    store.update(attempt);
    o.onChanged(record.id);
    try {
      const res = await uploadFeedback(
        target,
        {
          id: record.id,
          createdAtMs: record.createdAt,
          classification: record.classification,
          note: record.note,
          threadId: record.threadId,
          appVersion: o.appVersion,
          platform: `${platform()} ${release()} ${arch()}`,
          tags: { shell: o.shell },
        },
        attachmentsOf(record),
        { userAgent: `Threadscope/${o.appVersion}`, ...o.upload },
      );
      const sent: FeedbackRecord = {
        ...attempt,
        status: 'sent',
        remoteId: res.remoteId,
        attempts: record.attempts + res.attempts,
      };
      store.update(sent);
      log.info(`feedback ${record.id} sent to ${endpoint.display ?? ''}`, { threadId: record.threadId });
      return sent;
    } catch (err) {
      const attempts = err instanceof FeedbackUploadError ? err.attempts : 1;
      const failed: FeedbackRecord = {
        ...attempt,
        status: 'failed',
        error: (err as Error).message,
        attempts: record.attempts + attempts,
        issueText: issueText(record, o.appVersion, home),
      };
      store.update(failed);
      log.warn(`feedback ${record.id} upload failed: ${failed.error ?? ''}`, { threadId: record.threadId });
      return failed;
    } finally {
      sending.delete(record.id);
      o.onChanged(record.id);
    }
  };

  const known = (id: string): FeedbackRecord => {
    const r = FEEDBACK_ID.test(id) ? store.get(id) : null;
    if (!r) throw new AppError('NOT_FOUND', `No feedback bundle ${id}`);
    // A bundle left `sending` by a process that stopped mid-upload.
    return r.status === 'sending' && !sending.has(id)
      ? { ...r, status: 'failed', error: r.error ?? 'The upload was interrupted.' }
      : r;
  };

  return {
    endpoint: () => endpoint,

    async draft(input) {
      const thread = input.threadId ? threads.get(input.threadId) : null;
      if (input.threadId && !thread) throw new AppError('NOT_FOUND', `No thread ${input.threadId}`);
      await o.logs.flush();
      const appLogsFile = join(o.dataDir, 'logs_1.sqlite');
      const codex = o.logs.status('codex');
      const processUuid = o.logs.status('app').currentProcess;
      const draft = await buildDraft(
        {
          classification: input.classification,
          note: input.note,
          thread,
          includeLogs: input.includeLogs,
          includeRollout: input.includeRollout,
          extraFiles: input.extraFiles,
        },
        {
          appVersion: o.appVersion,
          shell: o.shell,
          home,
          slicer: o.slicer,
          appLogs: () =>
            exportLogs(appLogsFile, thread ? { threadId: thread.id } : processUuid ? { processUuid } : null),
          codexLogs: () =>
            exportLogs(codex.available ? codex.path : null, thread ? { threadId: thread.id } : null),
          diagnostics: () => {
            const stats = o.stateDb
              .prepare('SELECT count(*) AS n, coalesce(sum(size), 0) AS b FROM rollout_files')
              .get() as { n: number; b: number } | undefined;
            return diagnosticsText({
              codexHome: o.codexHome,
              dataDir: o.dataDir,
              appVersion: o.appVersion,
              shell: o.shell,
              threadCount: threads.count(),
              rolloutBytes: stats?.b ?? 0,
            });
          },
        },
      );
      drafts.set(draft.draftId, { ...draft, expires: Date.now() + DRAFT_TTL_MS });
      prune();
      const parts = draft.parts.map(previewPart);
      return {
        draftId: draft.draftId,
        feedbackId: draft.feedbackId,
        parts,
        totalBytes: parts.reduce((s, p) => s + p.bytes, 0),
        limitBytes: maxBytes,
        endpoint,
        warnings: draft.warnings,
      };
    },

    partText(draftId, partId, offset, limit) {
      const part = getDraft(draftId).parts.find((p) => p.id === partId);
      if (!part || part.text === null)
        throw new AppError('NOT_FOUND', `No text part ${partId} in this preview`);
      const end = Math.min(part.text.length, offset + limit);
      return { text: part.text.slice(offset, end), nextOffset: end < part.text.length ? end : null };
    },

    async send(draftId, exclude) {
      const d = getDraft(draftId);
      const unknown = exclude.filter((id) => !d.parts.some((p) => p.id === id));
      if (unknown.length > 0)
        throw new AppError('INVALID_INPUT', `No part ${unknown.join(', ')} in this preview`);
      const parts = d.parts.filter((p) => p.required || !exclude.includes(p.id));
      const total = parts.reduce((s, p) => s + p.data.length, 0);
      if (total > maxBytes) {
        const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
        throw new AppError(
          'INVALID_INPUT',
          `The bundle is ${mb(total)}, over the ${mb(maxBytes)} limit: exclude the rollout or a large file.`,
        );
      }
      const t = d.request.thread;
      const record: FeedbackRecord = {
        id: d.feedbackId,
        createdAt: d.createdAt,
        attemptedAt: null,
        threadId: t?.id ?? null,
        threadTitle: t?.title ?? null,
        classification: d.request.classification,
        note: d.note,
        status: 'saved',
        endpoint,
        remoteId: null,
        error: null,
        attempts: 0,
        parts: parts.map((p) => {
          const { text: _text, truncated: _truncated, ...rest } = previewPart(p);
          return rest;
        }),
        totalBytes: total,
        path: store.dirOf(d.feedbackId),
        issueText: null,
      };
      // Written before anything leaves the machine: a failed upload keeps it for a retry.
      store.create(
        record,
        parts.map((p) => ({ name: p.name, contentType: p.contentType, data: p.data })),
      );
      drafts.delete(draftId);
      log.info(`feedback ${record.id} written (${parts.length} parts, ${total} bytes)`, {
        threadId: record.threadId,
      });
      o.onChanged(record.id);
      return upload(record);
    },

    list: () => store.list().map((r) => (r.status === 'sending' && !sending.has(r.id) ? known(r.id) : r)),

    async retry(id) {
      const r = known(id);
      if (r.status === 'sent') throw new AppError('CONFLICT', `Feedback ${id} was already sent`);
      if (sending.has(id)) throw new AppError('CONFLICT', `Feedback ${id} is being sent`);
      return upload(r);
    },

    remove(id) {
      const r = known(id);
      if (sending.has(id)) throw new AppError('CONFLICT', `Feedback ${id} is being sent`);
      store.remove(r.id);
      log.info(`feedback ${id} deleted`, { threadId: r.threadId });
      o.onChanged(id);
      return { id };
    },

    reveal(id) {
      const r = known(id);
      statSync(r.path);
      if (o.showItemInFolder) {
        o.showItemInFolder(join(r.path, 'bundle.json'));
        return { path: r.path, shown: true };
      }
      return { path: r.path, shown: false };
    },
  };
}
