import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import {
  startFeedbackServer,
  type FeedbackServer,
  type FeedbackServerOptions,
} from '../main/test-support/feedback-server.ts';
import { createCodexHome, fixturesAvailable, realRolloutsDir, type CodexHome } from './support/codex-home.ts';
import { startServe, type ServeProcess } from './support/serve-process.ts';

// A real rollout from ../shared/fixtures/rollouts/real/ (an `exec` thread).
const EXEC = {
  id: '019b0093-0f99-75e3-9b62-65da9e3c9e61',
  title: 'What is you name? And make memory stats report',
};
/** A planted OpenAI-style key: it must show as redacted in the preview and never reach the server. */
const SECRET = `sk-proj-${'QwErTyUiOp'.repeat(4)}`;
const SHOTS = process.env.THREADSCOPE_SHOTS_DIR ?? null;

interface App {
  serve: ServeProcess;
  home: CodexHome;
  /** The feedback endpoint's server, or null when none is configured. */
  server: FeedbackServer | null;
}

/**
 * `endpoint`: 'sentry' starts a real feedback server on loopback and points the serve shell at it
 * through THREADSCOPE_FEEDBACK_ENDPOINT (its DSN); 'none' starts the shell with no endpoint.
 */
const test = base.extend<{ endpoint: 'sentry' | 'none'; serverOptions: FeedbackServerOptions; app: App }>({
  endpoint: ['sentry', { option: true }],
  serverOptions: [{}, { option: true }],
  app: async ({ endpoint, serverOptions }, use, testInfo) => {
    testInfo.skip(!fixturesAvailable(), `Real rollout fixtures not found at ${realRolloutsDir}.`);
    const home = await createCodexHome();
    const server = endpoint === 'sentry' ? await startFeedbackServer(serverOptions) : null;
    let serve: ServeProcess | null = null;
    try {
      serve = await startServe(home.codexHome, home.dataDir, 30_000, {
        THREADSCOPE_FEEDBACK_ENDPOINT: server?.sentryDsn,
      });
      await use({ serve, home, server });
    } finally {
      await serve?.stop();
      if (serve && testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('serve-stderr.txt', { body: serve.stderr(), contentType: 'text/plain' });
      }
      await server?.close();
      await home.cleanup();
    }
  },
});

async function shoot(page: Page, target: Locator, name: string): Promise<void> {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await target.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function partNames(dialog: Locator): Promise<string[]> {
  return (await dialog.getByTestId('feedback-part-name').allTextContents()).map((s) => s.trim());
}

function text(data: Buffer, name: string): string {
  return (name.endsWith('.gz') ? gunzipSync(data) : data).toString('utf8');
}

test('a thread’s feedback: preview redacts a planted key, an excluded part is not sent, the bundle is in the history', async ({
  page,
  app,
}) => {
  const server = app.server!;
  const notes = join(app.home.root, 'deploy-notes.txt');
  await writeFile(notes, `Deploy notes\nthe key we used: ${SECRET}\nthat is all\n`);
  const missing = join(app.home.root, 'no-such-file.log');

  // Tall enough for the preview to show whole in the screenshots.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(app.serve.url);
  await page.goto(`${app.serve.origin}/#/thread/${EXEC.id}`);
  await shoot(page, page.getByTestId('thread-side').getByTestId('thread-actions'), 'feedback-thread-action');
  await page.getByTestId('thread-side').getByTestId('send-feedback-button').click();
  const dialog = page.getByTestId('feedback-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(EXEC.title);
  await expect(dialog.getByTestId('feedback-note')).toBeFocused();
  await expect(dialog.getByTestId('feedback-destination')).toContainText(server.url.replace('http://', ''));

  await dialog.getByText('Bad result', { exact: true }).click();
  await expect(dialog.getByTestId('feedback-class-bad_result')).toBeChecked();
  await dialog.getByTestId('feedback-note').fill('The memory stats report skipped two files.');
  await dialog.getByTestId('feedback-include-rollout').check();
  const pathInput = dialog.getByTestId('feedback-extra-input');
  // A relative path is refused with a reason; absolute ones are listed.
  await pathInput.fill('notes.txt');
  await pathInput.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('absolute path');
  await pathInput.fill(notes);
  await pathInput.press('Enter');
  await pathInput.fill(missing);
  await dialog.getByTestId('feedback-extra-add').click();
  await expect(dialog.getByTestId('feedback-extra-list').getByRole('listitem')).toHaveCount(2);

  await shoot(page, dialog, 'feedback-compose');
  await dialog.getByTestId('feedback-preview-button').click();
  await expect(dialog.getByTestId('feedback-preview')).toBeVisible();
  const names = await partNames(dialog);
  expect(names).toEqual(
    expect.arrayContaining(['report.json', 'diagnostics.txt', 'rollout.jsonl.gz', 'deploy-notes.txt']),
  );
  for (const size of await dialog.getByTestId('feedback-part-size').allTextContents()) {
    expect(size).toMatch(/^\d+(\.\d)? (B|KB|MB)$/);
  }
  await expect(dialog.getByTestId('feedback-warnings')).toContainText('no-such-file.log was not attached');

  // The planted key: counted in a badge, replaced in the text.
  const extra = dialog.getByTestId('feedback-part').filter({ hasText: 'deploy-notes.txt' });
  await expect(extra.getByTestId('feedback-redaction')).toHaveText('1 OpenAI key redacted');
  // Opened first: it is the part with a secret in it.
  await expect(extra.getByTestId('feedback-part-toggle')).toHaveAttribute('aria-expanded', 'true');
  const extraText = extra.getByTestId('feedback-part-text');
  await expect(extraText).toContainText('the key we used: [REDACTED:openai_key]');
  await expect(extraText).not.toContainText(SECRET);

  // The report is always sent; leaving the rollout out shrinks the total.
  const report = dialog.getByTestId('feedback-part').filter({ hasText: 'report.json' });
  await expect(report.getByTestId('feedback-part-include')).toBeDisabled();
  const total = dialog.getByTestId('feedback-total');
  const before = await total.textContent();
  const rollout = dialog.getByTestId('feedback-part').filter({ hasText: 'rollout.jsonl.gz' });
  await rollout.getByTestId('feedback-part-include').uncheck();
  await expect(rollout).toHaveClass(/is-excluded/);
  await expect(total).not.toHaveText(before ?? '');
  await dialog.locator('.fb-dialog__body').evaluate((el) => el.scrollTo(0, 0));
  await shoot(page, dialog, 'feedback-dialog');

  await dialog.getByTestId('feedback-send-button').click();
  const result = dialog.getByTestId('feedback-result');
  await expect(result).toHaveAttribute('data-status', 'sent');
  await expect(result.getByTestId('feedback-result-status')).toHaveText('Feedback sent');
  const feedbackId = (await result.getByTestId('feedback-result-id').textContent()) ?? '';
  expect(feedbackId).toMatch(/^[0-9a-f]{32}$/);
  await expect(result.getByTestId('feedback-remote-id')).toHaveText(feedbackId);
  await shoot(page, dialog, 'feedback-result');

  // The server got exactly what the preview listed, minus the rollout, with the key redacted.
  expect(server.received).toHaveLength(1);
  const [got] = server.received;
  expect(got).toMatchObject({ kind: 'sentry', status: 200, parseError: null });
  expect(got!.event?.event_id).toBe(feedbackId);
  const sentNames = got!.attachments.map((a) => a.filename);
  expect([...sentNames].sort()).toEqual(names.filter((n) => n !== 'rollout.jsonl.gz').sort());
  for (const a of got!.attachments) expect(text(a.data, a.filename)).not.toContain(SECRET);
  const sentNotes = got!.attachments.find((a) => a.filename === 'deploy-notes.txt');
  expect(text(sentNotes!.data, 'deploy-notes.txt')).toContain('the key we used: [REDACTED:openai_key]');

  // The history lists it with its ID, the thread and its parts.
  await dialog.getByTestId('feedback-open-history').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('nav-feedback')).toHaveAttribute('aria-current', 'page');
  const row = page.locator(`[data-testid="feedback-row"][data-id="${feedbackId}"]`);
  await expect(row.getByTestId('feedback-row-id')).toHaveText(feedbackId.slice(0, 8));
  await expect(row.getByTestId('feedback-row-status')).toHaveText('Sent');
  await expect(row.getByTestId('feedback-row-thread')).toHaveAttribute('href', `#/thread/${EXEC.id}`);
  await row.getByTestId('feedback-row-toggle').click();
  await expect(row.getByTestId('feedback-row-part')).toHaveCount(sentNames.length);
  await expect(row.getByTestId('feedback-row-retry')).toHaveCount(0);
  await shoot(page, page.getByTestId('feedback-page'), 'feedback-history');
});

test.describe('uploads refused twice', () => {
  test.use({ serverOptions: { failFirst: 2, status: 403 } });

  test('a failed upload keeps the bundle with its error; Retry from the dialog and from the history', async ({
    page,
    app,
  }) => {
    const server = app.server!;
    await page.goto(app.serve.url);
    await page.goto(`${app.serve.origin}/#/thread/${EXEC.id}`);
    await page.getByTestId('thread-side').getByTestId('send-feedback-button').click();
    const dialog = page.getByTestId('feedback-dialog');
    await dialog.getByTestId('feedback-note').fill('Export lost the last turn.');
    await dialog.getByTestId('feedback-preview-button').click();
    await dialog.getByTestId('feedback-send-button').click();
    const result = dialog.getByTestId('feedback-result');
    await expect(result).toHaveAttribute('data-status', 'failed');
    await expect(result.getByTestId('feedback-result-error')).toContainText('403');
    const failedId = (await result.getByTestId('feedback-result-id').textContent()) ?? '';
    // Refused again: still failed, still kept.
    await result.getByTestId('feedback-retry').click();
    await expect.poll(() => server.received.map((r) => r.status)).toEqual([403, 403]);
    await expect(result.getByTestId('feedback-retry')).toBeEnabled();
    await expect(result).toHaveAttribute('data-status', 'failed');
    await dialog.getByTestId('feedback-open-history').click();

    // Feedback about the app from the history page goes through.
    await page.getByTestId('feedback-new').click();
    await expect(dialog.getByTestId('feedback-include-rollout')).toHaveCount(0);
    await dialog.getByText('Good result', { exact: true }).click();
    await dialog.getByTestId('feedback-note').fill('Search by tool name found the failing command at once.');
    await dialog.getByTestId('feedback-preview-button').click();
    await dialog.getByTestId('feedback-send-button').click();
    await expect(result).toHaveAttribute('data-status', 'sent');
    await dialog.getByRole('button', { name: 'Done' }).click();

    const rows = page.getByTestId('feedback-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('About the app');
    const failed = page.locator(`[data-testid="feedback-row"][data-id="${failedId}"]`);
    await expect(failed).toHaveAttribute('data-status', 'failed');
    await failed.getByTestId('feedback-row-toggle').click();
    await expect(failed.getByTestId('feedback-row-error')).toContainText('403');
    await expect(failed.getByTestId('feedback-issue-text')).toContainText(failedId);
    await shoot(page, page.getByTestId('feedback-page'), 'feedback-history-failed');

    await failed.getByTestId('feedback-row-retry').click();
    await expect(failed).toHaveAttribute('data-status', 'sent');
    await expect(failed.getByTestId('feedback-row-retry')).toHaveCount(0);
    expect(server.received.map((r) => r.status)).toEqual([403, 403, 200, 200]);
    expect(server.received[3]!.event?.event_id).toBe(failedId);
  });
});

test.describe('without an endpoint', () => {
  test.use({ endpoint: 'none' });

  test('feedback about the app is saved locally with an issue text; reveal shows the folder; delete removes it', async ({
    page,
    app,
  }) => {
    await page.goto(app.serve.url);
    await page.getByTestId('nav-feedback').click();
    await expect(page.getByTestId('feedback-empty')).toContainText('No feedback sent yet');
    await expect(page.getByTestId('feedback-destination')).toContainText('No endpoint configured');
    await shoot(page, page.locator('#root'), 'feedback-empty');

    // The desktop Help menu's "Send Feedback…" opens #/feedback?new=1: the dialog opens at once and the URL is cleaned.
    await page.goto(`${app.serve.origin}/#/feedback?new=1`);
    const dialog = page.getByTestId('feedback-dialog');
    await expect(dialog).toContainText('About Threadscope itself');
    await expect(page).toHaveURL(/#\/feedback$/);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await page.getByTestId('feedback-empty-new').click();
    await expect(dialog).toContainText('About Threadscope itself');
    await dialog.getByText('Other', { exact: true }).click();
    await dialog.getByTestId('feedback-note').fill('The nav rail could show counts.');
    // A 21 MB log: over the 20 MB limit, and longer than the preview's first chunk.
    const big = join(app.home.root, 'huge.log');
    const line = (i: number): string => `line ${String(i).padStart(6, '0')} ${'x'.repeat(87)}\n`;
    await writeFile(big, Array.from({ length: 220_000 }, (_, i) => line(i)).join(''));
    await dialog.getByTestId('feedback-extra-input').fill(big);
    await dialog.getByTestId('feedback-extra-add').click();
    await dialog.getByTestId('feedback-preview-button').click();
    await expect(dialog.getByTestId('feedback-destination')).toContainText(
      'the bundle is saved locally and you get an issue text to paste',
    );
    const send = dialog.getByTestId('feedback-send-button');
    await expect(dialog.getByTestId('feedback-over-limit')).toContainText('over the 20 MB limit');
    await expect(send).toBeDisabled();

    // Its text pages in: the first 200,000 characters, then the next ones.
    const huge = dialog.getByTestId('feedback-part').filter({ hasText: 'huge.log' });
    await huge.getByTestId('feedback-part-toggle').click();
    const hugeText = huge.getByTestId('feedback-part-text');
    await expect(hugeText).toContainText('line 001999');
    await expect(hugeText).not.toContainText('line 002000');
    await huge.getByTestId('feedback-part-more').click();
    await expect(hugeText).toContainText('line 003999');
    await expect(huge).toContainText('400,000 characters shown');
    await shoot(page, dialog, 'feedback-over-limit');

    await huge.getByTestId('feedback-part-include').uncheck();
    await expect(dialog.getByTestId('feedback-over-limit')).toHaveCount(0);
    await send.click();

    const result = dialog.getByTestId('feedback-result');
    await expect(result).toHaveAttribute('data-status', 'saved');
    const feedbackId = (await result.getByTestId('feedback-result-id').textContent()) ?? '';
    const issue = result.getByTestId('feedback-issue-text');
    await expect(issue).toContainText(`### Threadscope feedback \`${feedbackId}\``);
    await expect(issue).toContainText('The nav rail could show counts.');
    await expect(issue).not.toContainText('huge.log');
    const folder = join(app.home.dataDir, 'feedback', feedbackId);
    expect(existsSync(join(folder, 'report.json'))).toBe(true);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const row = page.locator(`[data-testid="feedback-row"][data-id="${feedbackId}"]`);
    await expect(row.getByTestId('feedback-row-status')).toHaveText('Saved locally');
    await expect(row).toContainText('About the app');
    // Serve mode has no file manager: Reveal shows the folder's path to copy.
    await row.getByTestId('feedback-row-reveal').click();
    await expect(row.getByTestId('feedback-row-path')).toHaveClass(/is-highlighted/);
    await expect(row.getByTestId('feedback-row-path')).toContainText(folder);
    await expect(row.getByTestId('feedback-issue-text')).toContainText(feedbackId);

    await row.getByTestId('feedback-row-delete').click();
    await row.getByTestId('feedback-confirm-delete').click();
    await expect(row).toHaveCount(0);
    await expect(page.getByTestId('feedback-empty')).toBeVisible();
    expect(existsSync(folder)).toBe(false);
  });
});
