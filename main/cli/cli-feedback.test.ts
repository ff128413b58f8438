import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FeedbackDraft, FeedbackRecord } from '../../preload/contract/feedback.ts';
import { startFeedbackServer, type FeedbackServer } from '../test-support/feedback-server.ts';
import { edgeLines, rolloutFileName, writeLines } from '../test-support/synthetic-rollouts.ts';
import { perTestDirs } from '../test-support/test-dirs.ts';
import { runCli } from './cli.ts';
import { capture } from './cli-logs-test-support.ts';

const { cleanups, dirs } = perTestDirs();
const THREAD = '019cb000-0000-7000-8000-0000000000f1';
const SECRET = `sk-proj-${'abcdefghij'.repeat(4)}`;
const CREATED = Date.UTC(2026, 2, 1, 10);

interface Run {
  code: number;
  out: string;
  err: string;
}

/** A CODEX_HOME with one thread whose rollout holds the secret, an extra file holding it too. */
function setup(): { home: string; data: string; extra: string; rollout: string } {
  const { home, data } = dirs();
  const rollout = join(home, 'sessions/2026/03/01', rolloutFileName(CREATED, THREAD));
  writeLines(rollout, [
    ...edgeLines.head(THREAD),
    `{"timestamp":"2026-03-01T10:00:01.000Z","type":"event_msg","payload":{"type":"agent_message","message":"use ${SECRET}"}}`,
  ]);
  const extra = join(home, 'notes.txt');
  writeFileSync(extra, `the key was ${SECRET}\n`);
  return { home, data, extra, rollout };
}

async function server(o: Parameters<typeof startFeedbackServer>[0] = {}): Promise<FeedbackServer> {
  const s = await startFeedbackServer(o);
  cleanups.push(() => s.close());
  return s;
}

function feedbackCli(
  data: string,
  home: string,
  endpoint: string | null,
  env: NodeJS.ProcessEnv = {},
): (...argv: string[]) => Promise<Run> {
  return async (...argv) => {
    const out = capture();
    const err = capture();
    const e = endpoint ? { ...env, THREADSCOPE_FEEDBACK_ENDPOINT: endpoint } : env;
    const dirArgs = ['--codex-home', home, '--data-dir', data];
    const code = await runCli(['feedback', ...argv, ...dirArgs], out, err, null, { env: e });
    return { code, out: out.text(), err: err.text() };
  };
}

/** The part lines of a printed preview: name and what follows its size. */
function previewParts(out: string): { name: string; notes: string }[] {
  const lines = out.split('\n');
  const start = lines.indexOf('Parts (redacted, as they would be sent):') + 1;
  const rows: { name: string; notes: string }[] = [];
  for (const l of lines.slice(start)) {
    const m = /^ {2}(\S+) +\d+(?:\.\d)? (?:B|KiB|MiB) {2}(.*)$/.exec(l);
    if (!m) break;
    rows.push({ name: m[1] as string, notes: m[2] as string });
  }
  return rows;
}

const bundles = (data: string): string[] =>
  existsSync(join(data, 'feedback')) ? readdirSync(join(data, 'feedback')) : [];

describe('feedback send', () => {
  it('--dry-run prints every part with sizes and redactions, the total and the destination, and sends nothing', async () => {
    const { home, data, extra } = setup();
    const srv = await server();
    const cli = feedbackCli(data, home, srv.sentryDsn);
    const base = ['--thread', THREAD, '--classification', 'bug', '--rollout', '--file', extra, '--dry-run'];
    const r = await cli('send', ...base, '--note', `key ${SECRET}`, '--file', join(home, 'missing.log'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`about thread ${THREAD} "fix the flaky test" (bug)`);
    const parts = previewParts(r.out);
    expect(parts.map((p) => p.name)).toEqual(
      expect.arrayContaining(['report.json', 'diagnostics.txt', 'rollout.jsonl.gz', 'notes.txt']),
    );
    const byName = Object.fromEntries(parts.map((p) => [p.name, p.notes]));
    expect(byName['report.json']).toMatch(/^redacted: openai_key 1.*; required$/);
    expect(byName['notes.txt']).toMatch(/^redacted: openai_key 1; from .*notes\.txt$/);
    expect(byName['rollout.jsonl.gz']).toContain('openai_key 1');
    expect(r.out).toMatch(/Warnings:\n(?: {2}- .*\n)*? {2}- .*missing\.log was not attached/);
    expect(r.out).toMatch(/\nTotal: \d+(\.\d)? (B|KiB) of 20\.0 MiB allowed\n/);
    expect(r.out).toContain(`Goes to: Sentry ${srv.url}/42\n`);
    expect(r.out).toMatch(/Dry run: nothing was saved or sent\.\n$/);
    expect(r.out).not.toContain(SECRET);

    const json = await cli('send', ...base, '--json');
    expect(json.code).toBe(0);
    const draft = FeedbackDraft.parse(JSON.parse(json.out));
    expect(draft.parts.map((p) => p.name)).toEqual(parts.map((p) => p.name));
    expect(srv.received).toEqual([]);
    expect(bundles(data)).toEqual([]);
  });

  it('sends exactly the previewed parts minus --exclude, redacted, and keeps the bundle', async () => {
    const { home, data, extra } = setup();
    const srv = await server();
    const cli = feedbackCli(data, home, srv.sentryDsn);
    const r = await cli(
      'send',
      ...['--thread', THREAD, '--classification', 'bad_result', '--note', 'wrong answer'],
      ...['--rollout', '--file', extra, '--exclude', 'diagnostics.txt'],
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const parts = previewParts(r.out);
    expect(parts.find((p) => p.name === 'diagnostics.txt')?.notes).toBe('EXCLUDED');
    expect(r.out).toMatch(/Total: .* allowed, 1 part excluded\n/);
    expect(srv.received).toHaveLength(1);
    const got = srv.received[0]?.attachments ?? [];
    expect(got.map((a) => a.filename)).toEqual(
      parts.filter((p) => p.name !== 'diagnostics.txt').map((p) => p.name),
    );
    const notes = got.find((a) => a.filename === 'notes.txt')?.data.toString('utf8');
    expect(notes).toBe('the key was [REDACTED:openai_key]\n');
    const rollout = gunzipSync(got.find((a) => a.filename === 'rollout.jsonl.gz')?.data ?? Buffer.alloc(0));
    expect(rollout.toString('utf8')).toContain('use [REDACTED:openai_key]');
    for (const a of got) expect(a.data.toString('latin1')).not.toContain(SECRET);

    const id = /^Feedback ([0-9a-f]{32}): sent to Sentry .*\(remote id \1\)$/m.exec(r.out)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(r.out).toContain(`Bundle: ${join(data, 'feedback', id)}\n`);
    expect(readFileSync(join(data, 'feedback', id, 'notes.txt'), 'utf8')).toBe(notes);
    const list = await cli('list');
    expect(list.out.split('\n')[1]).toMatch(
      new RegExp(`^${id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  sent +bad_result +${THREAD}  +\\d`),
    );
  });

  it('a failed upload exits 1 and keeps the bundle; list shows it failed; retry against a working server sends it', async () => {
    const { home, data, extra } = setup();
    const down = await server({ status: 500, retryAfter: 0 });
    const send = await feedbackCli(
      data,
      home,
      `${down.url}/upload`,
    )('send', ...['--classification', 'bug', '--file', extra, '--no-logs']);
    expect(send.code).toBe(1);
    expect(down.received.map((x) => x.status)).toEqual([500, 500]);
    const id = /^Feedback ([0-9a-f]{32}): failed after 2 attempts: .*500/m.exec(send.out)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(send.err).toContain(
      `feedback ${id} was not sent; the bundle is kept in ${join(data, 'feedback', id)}`,
    );
    expect(send.err).toContain(`npm run cli -- feedback retry ${id} --data-dir ${data}`);
    expect(previewParts(send.out).map((p) => p.name)).toEqual([
      'report.json',
      'diagnostics.txt',
      'notes.txt',
    ]);

    const up = await server();
    const cli = feedbackCli(data, home, `${up.url}/upload`);
    const failed = await cli('list', '--json');
    expect(
      FeedbackRecord.array()
        .parse(JSON.parse(failed.out))
        .map((x) => [x.id, x.status]),
    ).toEqual([[id, 'failed']]);
    expect((await cli('list')).out).toMatch(new RegExp(`^${id} .* failed +bug +- +\\d`, 'm'));

    const retry = await cli('retry', id);
    expect(retry.err).toBe('');
    expect(retry.code).toBe(0);
    expect(retry.out).toBe(
      `Feedback ${id}: sent to ${up.url}/upload (HTTPS upload) (remote id remote-1)\nBundle: ${join(data, 'feedback', id)}\n`,
    );
    expect(up.received.map((x) => x.attachments.map((a) => a.filename))).toEqual([
      ['report.json', 'diagnostics.txt', 'notes.txt'],
    ]);
    expect(up.received[0]?.attachments[2]?.data.toString('utf8')).toBe('the key was [REDACTED:openai_key]\n');
    expect((await cli('list')).out).toMatch(new RegExp(`^${id} .* sent +bug `, 'm'));

    const again = await cli('retry', id);
    expect([again.code, again.err]).toEqual([1, `threadscope: CONFLICT: Feedback ${id} was already sent\n`]);
    const del = await cli('delete', id);
    expect([del.code, del.out]).toEqual([0, `Deleted feedback ${id}.\n`]);
    expect(bundles(data)).toEqual([]);
    expect((await cli('list')).out).toBe(`No feedback bundles in ${data}/feedback.\n`);
    expect((await cli('delete', id)).code).toBe(1);
  });

  it('with no endpoint saves the bundle and prints the issue text to paste', async () => {
    const { home, data } = setup();
    const cli = feedbackCli(data, home, null);
    const r = await cli('send', '--classification', 'good_result', '--note', 'works great');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'Goes to: kept on this computer, with an issue text to paste (No feedback endpoint',
    );
    const id = /^Feedback ([0-9a-f]{32}): saved, not sent: No feedback endpoint/m.exec(r.out)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(r.out).toContain(
      `Paste this into an issue and attach the files from the bundle folder:\n\n### Threadscope feedback \`${id}\``,
    );
    expect(r.out).toContain('**Good result** about the app');
    expect(r.out).toContain('works great');
    expect(readdirSync(join(data, 'feedback', id))).toEqual(
      expect.arrayContaining(['bundle.json', 'report.json']),
    );

    const json = await cli('send', '--classification', 'other', '--json');
    expect(json.code).toBe(0);
    const record = FeedbackRecord.parse(JSON.parse(json.out));
    expect([
      record.status,
      record.issueText?.startsWith(`### Threadscope feedback \`${record.id}\``),
    ]).toEqual(['saved', true]);
    expect(bundles(data).sort()).toEqual([id, record.id].sort());
  });

  it('refuses a bundle over the size limit without saving or sending it', async () => {
    const { home, data } = setup();
    const srv = await server();
    const big = join(home, 'big.log');
    writeFileSync(big, 'x'.repeat(4096));
    const cli = feedbackCli(data, home, srv.sentryDsn, { THREADSCOPE_FEEDBACK_MAX_BYTES: '2048' });
    const r = await cli('send', '--classification', 'bug', '--file', big);
    expect(r.out).toMatch(/Total: .* of 2\.0 KiB allowed - OVER THE LIMIT/);
    expect([r.code, r.err]).toEqual([
      1,
      expect.stringMatching(/INVALID_INPUT: The bundle is .* over the .* limit/),
    ]);
    expect(srv.received).toEqual([]);
    expect(bundles(data)).toEqual([]);
    const ok = await cli(
      'send',
      '--classification',
      'bug',
      '--file',
      big,
      '--exclude',
      'big.log',
      '--no-logs',
    );
    expect(ok.code).toBe(0);
    expect(srv.received[0]?.attachments.map((a) => a.filename)).toEqual(['report.json', 'diagnostics.txt']);
  });
});

describe('feedback arguments', () => {
  it.each([
    [['feedback']],
    [['feedback', 'frobnicate']],
    [['feedback', 'send']],
    [['feedback', 'send', '--classification', 'praise']],
    [['feedback', 'send', '--classification', 'bug', '--thread', 'not-a-uuid']],
    [['feedback', 'send', '--classification', 'bug', '--rollout']],
    [['feedback', 'send', '--classification', 'bug', '--note', 'a', '--note-file', 'b']],
    [['feedback', 'send', '--classification', 'bug', '--bogus']],
    [['feedback', 'send', '--classification', 'bug', '--note', 'x'.repeat(20_001)]],
    [['feedback', 'retry']],
    [['feedback', 'retry', 'abc']],
    [['feedback', 'delete', 'a'.repeat(32), 'b'.repeat(32)]],
    [['feedback', 'list', 'extra']],
  ])('prints usage and exits 2 for %j', async (argv) => {
    const out = capture();
    const err = capture();
    expect(await runCli(argv, out, err, null, { env: {} })).toBe(2);
    expect(err.text()).toMatch(/\n\nUsage: npm run cli -- <command>/);
    expect(out.text()).toBe('');
  });

  it('exits 2 naming the problem for an unknown or required --exclude, an unreadable --note-file and a bad size setting', async () => {
    const { home, data } = setup();
    const srv = await server();
    const cli = feedbackCli(data, home, srv.sentryDsn);
    const unknown = await cli('send', '--classification', 'bug', '--exclude', 'nope.log');
    expect([unknown.code, unknown.out]).toEqual([2, '']);
    expect(unknown.err).toMatch(
      /--exclude nope\.log: no such part \(parts that can be left out: .*diagnostics\.txt/,
    );
    const report = await cli('send', '--classification', 'bug', '--exclude', 'report.json');
    expect([report.code, report.err]).toEqual([2, expect.stringContaining('the report is always sent')]);
    const note = await cli('send', '--classification', 'bug', '--note-file', join(home, 'absent.txt'));
    expect([note.code, note.err]).toEqual([
      2,
      expect.stringMatching(/cannot read --note-file .*absent\.txt: ENOENT/),
    ]);
    const size = await feedbackCli(data, home, null, { THREADSCOPE_FEEDBACK_MAX_BYTES: '12MB' })(
      'send',
      '--classification',
      'bug',
    );
    expect([size.code, size.err]).toEqual([2, expect.stringContaining('THREADSCOPE_FEEDBACK_MAX_BYTES')]);
    const noThread = await cli(
      'send',
      '--classification',
      'bug',
      '--thread',
      '019cb000-0000-7000-8000-00000000dead',
    );
    expect([noThread.code, noThread.err]).toEqual([
      1,
      expect.stringContaining('NOT_FOUND: No thread 019cb000'),
    ]);
    expect(srv.received).toEqual([]);
    expect(bundles(data)).toEqual([]);
  });
});
