import { existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// A real rollout from ../shared/fixtures/rollouts/real/, laid out in sessions/2025/12/09/.
const EXEC = {
  id: '019b0093-0f99-75e3-9b62-65da9e3c9e61',
  title: 'What is you name? And make memory stats report',
  branch: 'master',
  sha: 'fee9a60da2ff0665e09a7c8cfbd5bcbf9560c9bc',
};
const SHOTS = process.env.THREADSCOPE_SHOTS_DIR ?? null;

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  const pane = page.getByTestId('thread-detail');
  await page.emulateMedia({ colorScheme: 'light' });
  await pane.screenshot({ path: join(SHOTS, `${name}-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await pane.screenshot({ path: join(SHOTS, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

test('archive moves the rollout to archived_sessions/, Undo moves it back', async ({ page, threadscope }) => {
  const original = threadscope.home.rollouts.get(EXEC.id);
  if (!original) throw new Error('fixture rollout missing');
  const archivedPath = join(threadscope.home.codexHome, 'archived_sessions', basename(original));

  await page.goto(threadscope.url);
  const rows = page.getByTestId('thread-row');
  const execRow = rows.filter({ hasText: EXEC.title });
  await execRow.click();
  const detail = page.getByTestId('thread-detail');
  const archiveButton = detail.getByTestId('archive-button');
  await expect(archiveButton).toHaveText('Archive');
  await shoot(page, 'thread-actions');

  await archiveButton.click();
  const toast = page.getByTestId('archive-toast');
  await expect(toast).toContainText('Archived: rollout moved to archived_sessions/');
  if (SHOTS) {
    await page.screenshot({ path: join(SHOTS, 'archive-toast-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'archive-toast-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  }
  await expect(toast).toHaveAttribute('role', 'status');
  expect(existsSync(archivedPath)).toBe(true);
  expect(existsSync(original)).toBe(false);
  await expect(archiveButton).toHaveText('Unarchive');
  await expect(execRow).toHaveCount(0);

  // The Archived toggle lists it (from the DB, re-pointed without a re-ingest).
  await page.getByTestId('archived-toggle').click();
  await expect(execRow).toHaveCount(1);

  await toast.getByTestId('toast-action').click();
  await expect(page.getByTestId('undo-toast')).toContainText('back in sessions/');
  expect(existsSync(original)).toBe(true);
  expect(existsSync(archivedPath)).toBe(false);
  await expect(execRow).toHaveCount(0);
  await page.getByTestId('archived-toggle').click();
  await expect(execRow).toHaveCount(1);
  await expect(archiveButton).toHaveText('Archive');
});

test('an edited branch and a cleared commit survive re-ingestion of the grown rollout', async ({
  page,
  threadscope,
}) => {
  const path = threadscope.home.rollouts.get(EXEC.id);
  if (!path) throw new Error('fixture rollout missing');
  await page.goto(threadscope.url);
  await page.getByTestId('thread-row').filter({ hasText: EXEC.title }).click();
  const editor = page.getByTestId('git-editor');
  await expect(editor.getByTestId('git-value-gitBranch')).toHaveText(EXEC.branch);
  await expect(editor.getByTestId('git-value-gitSha')).toHaveText(EXEC.sha);

  await editor.getByTestId('git-edit-button').click();
  const branch = editor.getByTestId('git-input-gitBranch');
  await expect(branch).toBeFocused();
  // An emptied field is refused with a message, and nothing is sent.
  await branch.fill('  ');
  await editor.getByTestId('git-save-button').click();
  await expect(editor.getByRole('alert')).toContainText('Branch cannot be empty');
  await branch.fill('feature/edited-in-threadscope');
  await editor.getByTestId('git-clear-gitSha').click();
  await shoot(page, 'git-editor');
  await editor.getByTestId('git-save-button').click();
  await expect(editor.getByTestId('git-value-gitBranch')).toHaveText('feature/edited-in-threadscope');
  await expect(editor.getByTestId('git-value-gitSha')).toHaveText('—');

  // Codex appends to the rollout: the watcher re-ingests it (the token count moves) ...
  const line = {
    timestamp: new Date().toISOString(),
    type: 'event_msg',
    payload: { type: 'token_count', info: { total_token_usage: { total_tokens: 987654 } } },
  };
  await appendFile(path, `${JSON.stringify(line)}\n`);
  const detail = page.getByTestId('thread-detail');
  await expect(detail).toContainText('987,654');
  // ... and the edits stand; the rollout's own session_meta values do not come back.
  await expect(editor.getByTestId('git-value-gitBranch')).toHaveText('feature/edited-in-threadscope');
  await expect(editor.getByTestId('git-value-gitSha')).toHaveText('—');

  // Fresh queries after a reload show the same stored values.
  await page.reload();
  await page.getByTestId('thread-row').filter({ hasText: EXEC.title }).click();
  await expect(editor.getByTestId('git-value-gitBranch')).toHaveText('feature/edited-in-threadscope');
  await expect(editor.getByTestId('git-value-gitSha')).toHaveText('—');
});

test('export downloads Markdown with home folders shortened', async ({ page, threadscope }) => {
  await page.goto(threadscope.url);
  await page.getByTestId('thread-row').filter({ hasText: EXEC.title }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('what-is-you-name-and-make-memory-stats-report-019b0093.md');
  const text = await file.createReadStream().then(async (s) => {
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  });
  expect(text).toContain(`# ${EXEC.title}`);
  expect(text).toContain('`~/PhpstormProjects/jarvis-brain-node`');
  expect(text).not.toContain('/Users/xsaven');
  await expect(page.getByTestId('toast')).toContainText('Downloaded what-is-you-name');
});

test('copies the thread id and the rollout path', async ({ page, context, threadscope }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: threadscope.origin });
  await page.goto(threadscope.url);
  await page.getByTestId('thread-row').filter({ hasText: EXEC.title }).click();
  await page.getByTestId('copy-id-button').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Thread ID copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(EXEC.id);
  await page.getByTestId('copy-path-button').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Rollout path copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    threadscope.home.rollouts.get(EXEC.id),
  );
});
