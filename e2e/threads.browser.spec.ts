import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';
import { writeRollout } from './support/codex-home.ts';
import { startServe } from './support/serve-process.ts';

// Titles and metadata read from the real rollouts in ../shared/fixtures/rollouts/real/.
const EXEC = {
  id: '019b0093-0f99-75e3-9b62-65da9e3c9e61',
  title: 'What is you name? And make memory stats report',
  cwd: '/Users/xsaven/PhpstormProjects/jarvis-brain-node',
  branch: 'master',
  cliVersion: '0.65.0',
};
const VSCODE_TITLE = 'traduci README.dm in inflese';
const REVIEW_TITLE = "Review the code changes against the base branch 'main'";
const ARCHIVED_PROJECT = 'acp-hotel-service';

test('lists real threads; search, archived toggle, selection and keyboard work', async ({
  page,
  threadscope,
}, testInfo) => {
  await page.goto(threadscope.url);
  // The token was traded for a cookie and dropped from the address bar.
  await expect(page).toHaveURL(`${threadscope.origin}/`);

  const rows = page.getByTestId('thread-row');
  const execRow = rows.filter({ hasText: EXEC.title });
  await expect(execRow).toHaveCount(1);
  await expect(rows.filter({ hasText: VSCODE_TITLE })).toHaveCount(1);
  await expect(rows.filter({ hasText: REVIEW_TITLE }).getByTestId('source-badge')).toHaveText(
    'sub-agent · review',
  );
  await expect(execRow.getByTestId('source-badge')).toHaveText('exec');
  // The desktop app's thread (source "vscode", originator "Codex Desktop") is badged as desktop.
  await expect(rows.filter({ hasText: 'ubpb_c4_342M_sdar_g1' }).getByTestId('source-badge')).toHaveText(
    'desktop',
  );
  await expect(execRow.getByTestId('thread-project')).toHaveText('jarvis-brain-node');
  await expect(execRow.getByTestId('thread-project')).toHaveAttribute('title', EXEC.cwd);
  await expect(rows.filter({ hasText: ARCHIVED_PROJECT })).toHaveCount(0);

  // "/" focuses search; the list narrows to the matching title.
  await page.locator('body').press('/');
  const search = page.getByTestId('search-input');
  await expect(search).toBeFocused();
  await page.keyboard.type('traduci');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(VSCODE_TITLE);
  await search.fill('');
  await expect(execRow).toHaveCount(1);
  expect(await rows.count()).toBeGreaterThan(3);

  // Selecting a row shows its metadata.
  await execRow.click();
  const detail = page.getByTestId('thread-detail');
  await expect(detail.getByTestId('detail-title')).toHaveText(EXEC.title);
  for (const text of [EXEC.id, EXEC.cwd, EXEC.branch, EXEC.cliVersion, 'openai'])
    await expect(detail).toContainText(text);
  await expect(detail.getByTestId('source-badge')).toHaveText('exec');
  await page.screenshot({ path: testInfo.outputPath('threads-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('threads-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Arrow keys move the selection, Enter opens the selected thread's page; Back returns to the list.
  const selectedRow = page.locator('[data-testid="thread-row"][aria-selected="true"]');
  await expect(selectedRow).toContainText(EXEC.title);
  await page.getByTestId('thread-list').press('ArrowDown');
  await expect(selectedRow).toHaveCount(1);
  await expect(selectedRow).not.toContainText(EXEC.title);
  await page.getByTestId('thread-list').press('ArrowUp');
  await expect(selectedRow).toContainText(EXEC.title);
  await page.getByTestId('thread-list').press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/thread/${EXEC.id}$`));
  await page.goBack();
  await expect(selectedRow).toContainText(EXEC.title);

  // The archived toggle swaps in archived_sessions/.
  const archived = page.getByTestId('archived-toggle');
  await archived.click();
  await expect(archived).toHaveAttribute('aria-pressed', 'true');
  await expect(rows.filter({ hasText: ARCHIVED_PROJECT })).toHaveCount(1);
  await expect(execRow).toHaveCount(0);
  await archived.click();
  await expect(execRow).toHaveCount(1);
});

test('a rollout written while the page is open appears live', async ({ page, threadscope }) => {
  await page.goto(threadscope.url);
  const rows = page.getByTestId('thread-row');
  await expect(rows.filter({ hasText: EXEC.title })).toHaveCount(1);

  const title = `Live watcher canary ${Date.now()}`;
  await writeRollout(threadscope.home.codexHome, title);
  // No reload: the watcher ingests it and the threads:changed event refreshes the list.
  await expect(rows.filter({ hasText: title })).toHaveCount(1, { timeout: 10_000 });
  await expect(rows.first()).toContainText(title);
});

test('an empty CODEX_HOME explains what was scanned; requests need the token', async ({ page, request }) => {
  const root = await mkdtemp(join(tmpdir(), 'threadscope-e2e-empty-'));
  const server = await startServe(join(root, 'no-such-codex-home'), join(root, 'data'));
  try {
    expect((await request.get(`${server.origin}/`)).status()).toBe(401);
    expect((await request.post(`${server.origin}/api/app:info`, { data: {} })).status()).toBe(401);

    await page.goto(server.url);
    const empty = page.getByTestId('threads-empty');
    await expect(empty).toBeVisible();
    await expect(empty.getByTestId('empty-codex-home')).toHaveText(join(root, 'no-such-codex-home'));
    await expect(empty).toContainText('--codex-home');
    await expect(empty).toContainText('CODEX_HOME');
  } finally {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
});
