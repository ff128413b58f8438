import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { noYield } from '../core/time-slice.ts';
import { openLogsDb } from '../logs/logs-db.ts';
import { createLogsService, type LogsService } from '../logs/logs-service.ts';
import { openStateDb } from '../state/state-db.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { startFeedbackServer } from '../test-support/feedback-server.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { makeMeta } from '../test-support/thread-meta.ts';
import {
  createFeedbackService,
  type FeedbackService,
  type FeedbackServiceOptions,
} from './feedback-service.ts';

const { cleanups, dirs } = perTestDirs();
const THREAD = '00000000-0000-7000-8000-0000000000f1';
const SECRET = `sk-proj-${'Q'.repeat(40)}`;

interface Setup {
  feedback: FeedbackService;
  logs: LogsService;
  home: string;
  data: string;
  changed: string[];
}

function setup(o: Partial<FeedbackServiceOptions> = {}): Setup {
  const { home, data } = dirs();
  const rollout = join(home, 'rollout.jsonl');
  writeFileSync(rollout, `{"type":"user","text":"my key is ${SECRET} in /home/tester/proj"}\n`);
  const state = openStateDb(data);
  createThreadRepo(state).upsert({
    meta: makeMeta({
      id: THREAD,
      title: 'fix the login bug',
      rolloutPath: rollout,
      cwd: '/home/tester/proj',
    }),
    memoryMode: 'enabled',
    dynamicTools: [],
  });
  const logs = createLogsService({
    dataDir: data,
    codexHome: home,
    stateDb: state,
    worker: null,
    slicer: noYield,
    watchCodex: false,
    onAppended: () => {},
  });
  const log = logs.logger.child('threadscope::ingest');
  log.info('thread indexed', { threadId: THREAD });
  log.warn(`token leaked: Bearer ${'x'.repeat(30)}`, { threadId: THREAD });
  log.info('threadless of this process');
  const changed: string[] = [];
  const feedback = createFeedbackService({
    dataDir: data,
    codexHome: home,
    stateDb: state,
    logs,
    appVersion: '9.9.9',
    shell: 'test',
    slicer: noYield,
    endpoint: null,
    onChanged: (id) => changed.push(id),
    home: '/home/tester',
    upload: { backoffMs: 1, timeoutMs: 2_000 },
    ...o,
  });
  cleanups.push(async () => {
    await logs.close();
    state.close();
  });
  return { feedback, logs, home, data, changed };
}

const draftInput = (extra: Partial<Parameters<FeedbackService['draft']>[0]> = {}) => ({
  classification: 'bug' as const,
  note: `It crashed. My key: ${SECRET}`,
  threadId: THREAD,
  includeLogs: true,
  includeRollout: true,
  extraFiles: [],
  ...extra,
});

describe('feedback service', () => {
  it('previews every part redacted, and the Sentry server receives exactly what the preview showed', async () => {
    const server = await startFeedbackServer();
    cleanups.push(() => server.close());
    const { feedback, data, home, changed } = setup({ endpoint: server.sentryDsn });
    const extra = join(home, 'notes.txt');
    writeFileSync(extra, `aws AKIAIOSFODNN7EXAMPLE\n`);
    const draft = await feedback.draft(draftInput({ extraFiles: [extra, join(home, 'missing.log')] }));
    expect(draft.parts.map((p) => p.name)).toEqual([
      'report.json',
      'threadscope-logs.log',
      'diagnostics.txt',
      'rollout.jsonl.gz',
      'notes.txt',
    ]);
    expect(draft.warnings.join('\n')).toMatch(/missing\.log was not attached: there is no such file\./);
    expect(draft.warnings.join('\n')).toMatch(/Codex's logs database was not found/);
    const byName = Object.fromEntries(draft.parts.map((p) => [p.name, p]));
    expect(byName['report.json']?.redactions).toEqual({ openai_key: 1, home_dir: 1 }); // note key, cwd
    // Seed §4.6: the thread's rows and the threadless rows of its latest process, oldest first.
    expect(byName['threadscope-logs.log']?.text?.split('\n').map((l) => l.slice(28))).toEqual([
      ' INFO thread indexed',
      ' WARN token leaked: Bearer [REDACTED:bearer_token]',
      ' INFO threadless of this process',
      '',
    ]);
    expect(byName['rollout.jsonl.gz']?.text).toContain('[REDACTED:openai_key] in ~/proj');
    expect(byName['notes.txt']?.redactions).toEqual({ aws_access_key: 1 });
    expect(draft.endpoint).toEqual({
      kind: 'sentry',
      display: expect.stringContaining('127.0.0.1') as string,
      notice: null,
    });

    const diagnostics = byName['diagnostics.txt'];
    const record = await feedback.send(draft.draftId, diagnostics ? [diagnostics.id] : []);
    expect(record).toMatchObject({
      id: draft.feedbackId,
      status: 'sent',
      attempts: 1,
      threadTitle: 'fix the login bug',
    });
    expect(changed).toContain(record.id);

    const [got] = server.received;
    expect(got?.kind).toBe('sentry');
    expect(got?.envelopeHeader?.event_id).toBe(draft.feedbackId);
    const sent = Object.fromEntries((got?.attachments ?? []).map((a) => [a.filename, a.data]));
    expect(Object.keys(sent)).toEqual([
      'report.json',
      'threadscope-logs.log',
      'rollout.jsonl.gz',
      'notes.txt',
    ]);
    for (const p of draft.parts.filter((x) => x.name !== 'diagnostics.txt' && x.name !== 'rollout.jsonl.gz'))
      expect(sent[p.name]?.toString('utf8')).toBe(p.text);
    expect(gunzipSync(sent['rollout.jsonl.gz'] ?? Buffer.alloc(0)).toString('utf8')).toBe(
      byName['rollout.jsonl.gz']?.text,
    );
    const everything =
      Object.values(sent)
        .map((b) => b.toString('latin1'))
        .join('') + JSON.stringify(got?.event);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('AKIAIOSFODNN7EXAMPLE');

    // The local copy holds the same files and the record.
    const dir = join(data, 'feedback', record.id);
    expect(readdirSync(dir).sort()).toEqual([
      'bundle.json',
      'notes.txt',
      'report.json',
      'rollout.jsonl.gz',
      'threadscope-logs.log',
    ]);
    expect(feedback.list().map((r) => [r.id, r.status])).toEqual([[record.id, 'sent']]);
  });

  it('posts multipart to an https-style endpoint and retries once after a failure', async () => {
    const server = await startFeedbackServer({ failFirst: 1, status: 503 });
    cleanups.push(() => server.close());
    const { feedback } = setup({ endpoint: `${server.url}/upload` });
    const draft = await feedback.draft(draftInput({ includeRollout: false }));
    const record = await feedback.send(draft.draftId, []);
    expect(record).toMatchObject({ status: 'sent', attempts: 2 });
    expect(server.received.map((r) => r.status)).toEqual([503, 200]);
    expect(server.received[1]?.kind).toBe('multipart');
    expect(server.received[1]?.attachments.map((a) => a.filename)).toEqual(record.parts.map((p) => p.name));
  });

  it('keeps a failed bundle with its error and an issue text, and sends it on retry', async () => {
    const server = await startFeedbackServer({ status: 500 });
    cleanups.push(() => server.close());
    const { feedback } = setup({ endpoint: server.sentryDsn });
    const draft = await feedback.draft(draftInput({ includeRollout: false }));
    const failed = await feedback.send(draft.draftId, []);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/500/);
    expect(failed.issueText).toContain(failed.id);
    expect(existsSync(join(failed.path, 'report.json'))).toBe(true);
    await server.close();
    const ok = await startFeedbackServer();
    cleanups.push(() => ok.close());
    // The endpoint is fixed per service: a new one (as after a restart with a working endpoint) reads the same store.
    const { feedback: again } = setupOn(failed.path, ok.sentryDsn);
    const sent = await again.retry(failed.id);
    expect(sent).toMatchObject({ id: failed.id, status: 'sent', attempts: 3 });
    expect(sent.endpoint.display).toContain(new URL(ok.url).host); // where it went this time
    expect(ok.received[0]?.attachments.map((a) => a.filename)).toEqual(failed.parts.map((p) => p.name));
  });

  it('with no endpoint, saves locally with a ready-to-paste issue text', async () => {
    const { feedback } = setup();
    const draft = await feedback.draft(
      draftInput({ threadId: null, includeRollout: false, note: 'the app is slow' }),
    );
    expect(draft.endpoint.kind).toBe('none');
    expect(draft.parts.map((p) => p.name)).toEqual([
      'report.json',
      'threadscope-logs.log',
      'diagnostics.txt',
    ]);
    expect(draft.parts[1]?.text).toContain('threadless of this process');
    const record = await feedback.send(draft.draftId, []);
    expect(record.status).toBe('saved');
    expect(record.issueText).toMatch(/^### Threadscope feedback `[0-9a-f]{32}`\n\n\*\*Bug\*\* about the app/);
    expect(record.issueText).toContain('the app is slow');
  });

  it("exports Codex's logs of the thread too when Codex's logs DB exists", async () => {
    const { feedback, home } = setup();
    const codex = openLogsDb(home); // the seed's schema, where Codex keeps logs_1.sqlite
    const insert = codex.prepare(
      "INSERT INTO logs (ts, ts_nanos, level, target, message, thread_id, process_uuid) VALUES (?, 0, ?, 'codex_core', ?, ?, 'pid:1:c')",
    );
    insert.run(1, 'INFO', 'turn started', THREAD);
    insert.run(2, 'ERROR', `auth failed for Bearer ${'k'.repeat(24)}`, THREAD);
    insert.run(3, 'INFO', 'another thread', '00000000-0000-7000-8000-0000000000f2');
    codex.close();
    const draft = await feedback.draft(draftInput({ includeRollout: false }));
    const part = draft.parts.find((p) => p.name === 'codex-logs.log');
    expect(part?.text).toBe(
      '1970-01-01T00:00:01.000000Z  INFO turn started\n1970-01-01T00:00:02.000000Z ERROR auth failed for Bearer [REDACTED:bearer_token]\n',
    );
    expect(part?.redactions).toEqual({ bearer_token: 1 });
    expect(draft.warnings.join(' ')).not.toMatch(/Codex/);
  });

  it('says why a configured endpoint cannot be used, and keeps bundles local then', () => {
    const { feedback } = setup({ endpoint: 'http://feedback.example.com/upload' });
    expect(feedback.endpoint()).toMatchObject({ kind: 'none', display: null });
    expect(feedback.endpoint().notice).toMatch(/https/);
  });

  it('refuses a bundle over the size limit, unknown parts, expired drafts and bad ids, clearly', async () => {
    const { feedback, home } = setup({ maxBytes: 2_000 });
    const big = join(home, 'big.log');
    writeFileSync(big, 'line of log\n'.repeat(500));
    const draft = await feedback.draft(draftInput({ includeRollout: false, extraFiles: [big] }));
    expect(draft.totalBytes).toBeGreaterThan(2_000);
    await expect(feedback.send(draft.draftId, [])).rejects.toThrow(
      /over the 0\.0 MB limit: exclude the rollout or a large file/,
    );
    await expect(feedback.send(draft.draftId, ['nope'])).rejects.toThrow(/No part nope/);
    const small = draft.parts.filter((p) => !p.required).map((p) => p.id);
    expect((await feedback.send(draft.draftId, small)).parts.map((p) => p.name)).toEqual(['report.json']);
    await expect(feedback.send(draft.draftId, [])).rejects.toThrow(/expired/);
    expect(() => feedback.remove('f'.repeat(32))).toThrow(/No feedback bundle/);
    await expect(
      feedback.draft(draftInput({ threadId: '00000000-0000-7000-8000-0000000000aa' })),
    ).rejects.toThrow(/No thread/);
  });

  it('deletes a bundle and reveals its folder', async () => {
    const { feedback } = setup();
    const record = await feedback.send(
      (await feedback.draft(draftInput({ includeRollout: false }))).draftId,
      [],
    );
    expect(feedback.reveal(record.id)).toEqual({ path: record.path, shown: false });
    expect(feedback.remove(record.id)).toEqual({ id: record.id });
    expect(existsSync(record.path)).toBe(false);
    expect(feedback.list()).toEqual([]);
  });
});

/** A second service over the same data dir (as after a restart), with another endpoint. */
function setupOn(bundlePath: string, endpoint: string): { feedback: FeedbackService } {
  const data = join(bundlePath, '..', '..');
  const state = openStateDb(data);
  const logs = createLogsService({
    dataDir: data,
    codexHome: data,
    stateDb: state,
    worker: null,
    slicer: noYield,
    watchCodex: false,
    onAppended: () => {},
  });
  cleanups.push(async () => {
    await logs.close();
    state.close();
  });
  const feedback = createFeedbackService({
    dataDir: data,
    codexHome: data,
    stateDb: state,
    logs,
    appVersion: '9.9.9',
    shell: 'test',
    slicer: noYield,
    endpoint,
    onChanged: () => {},
    upload: { backoffMs: 1 },
  });
  expect(JSON.parse(readFileSync(join(bundlePath, 'bundle.json'), 'utf8')).status).toBe('failed');
  return { feedback };
}
