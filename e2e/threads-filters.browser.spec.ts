import { expect, test } from './fixtures.ts';
import { writeRollout } from './support/codex-home.ts';

// Values read from the real rollouts in ../shared/fixtures/rollouts/real/
// (`npm run cli -- threads --codex-home <home made like support/codex-home.ts> --json`).
const EXEC = {
  id: '019b0093-0f99-75e3-9b62-65da9e3c9e61',
  title: 'What is you name? And make memory stats report',
};
const ENV_CODEX = {
  cwd: '/home/h-morishita/program/env_codex',
  ids: ['019c755e-168e-73c1-951b-0ef453bde2ee', '019c755f-a102-7ab2-bde8-460b1d554d4d'],
};
/** Listed live threads (one rollout has no user message, so the list skips it) and their distinct cwds (one empty). */
const LIVE_THREADS = 12;
const PROJECTS = 11;

test('filters by source and project, chips, URL restore, grouping, Enter opens', async ({
  page,
  threadscope,
}) => {
  await page.goto(threadscope.url);
  const rows = page.getByTestId('thread-row');
  await expect(rows).toHaveCount(LIVE_THREADS);

  // Source: exec → exactly the one `codex exec` thread.
  await page.getByTestId('filter-source').click();
  const sourceMenu = page.getByTestId('filter-source-menu');
  await expect(sourceMenu.getByTestId('menu-option')).toContainText(['Sub-agent']);
  await sourceMenu.locator('[data-testid="menu-option"][data-value="exec"]').click();
  await page.keyboard.press('Escape');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(EXEC.title);
  const chips = page.getByTestId('filter-chip');
  await expect(chips).toHaveText(['Source exec']);
  await expect(page).toHaveURL(/#\/\?source=exec$/);

  // The filter is in the URL: a reload restores it.
  await page.reload();
  await expect(chips).toHaveText(['Source exec']);
  await expect(rows).toHaveCount(1);

  // Removing the chip restores the whole list.
  await chips.getByTestId('chip-remove').click();
  await expect(rows).toHaveCount(LIVE_THREADS);
  await expect(chips).toHaveCount(0);

  // Project: a searchable list; picking one shows its two threads.
  await page.getByTestId('filter-project').click();
  const projectMenu = page.getByTestId('filter-project-menu');
  await projectMenu.getByTestId('menu-search').fill('env_cod');
  await expect(projectMenu.getByTestId('menu-option')).toHaveCount(1);
  await projectMenu.getByTestId('menu-option').click();
  await expect(projectMenu).toHaveCount(0);
  await expect(rows).toHaveCount(2);
  expect((await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-thread-id')))).sort()).toEqual(
    ENV_CODEX.ids,
  );
  await expect(chips).toHaveText(['Project env_codex']);
  await expect(chips.first()).toHaveAttribute('title', ENV_CODEX.cwd);

  // Two filters that exclude each other: the empty state says so and clears them.
  await page.getByTestId('filter-source').click();
  await page.getByTestId('filter-source-menu').locator('[data-value="exec"]').click();
  await page.keyboard.press('Escape');
  const empty = page.getByTestId('threads-empty');
  await expect(empty).toContainText('No threads match these filters');
  await empty.getByTestId('empty-clear-filters').click();
  await expect(rows).toHaveCount(LIVE_THREADS);

  // Group by project: one header per working directory with its thread count.
  await page.getByTestId('group-project').click();
  await expect(page).toHaveURL(/group=project/);
  const headers = page.getByTestId('group-header');
  await expect(headers).toHaveCount(PROJECTS);
  const envHeader = headers.filter({ has: page.locator('[title="/home/h-morishita/program/env_codex"]') });
  await expect(envHeader.getByTestId('group-count')).toHaveText('2');
  await expect(headers.filter({ hasText: 'jarvis-brain-node' }).getByTestId('group-count')).toHaveText('1');
  await expect(headers.filter({ hasText: 'No project' })).toHaveCount(1);

  // Group by day: headers follow the sort column in local days; counts add up to the list.
  await page.getByTestId('group-day').click();
  const counts = await page.getByTestId('group-count').allTextContents();
  expect(counts.reduce((sum, c) => sum + Number(c), 0)).toBe(LIVE_THREADS);

  // Enter on the selected row opens the thread page.
  await page.getByTestId('group-none').click();
  await rows.filter({ hasText: EXEC.title }).click();
  await page.getByTestId('thread-list').press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/thread/${EXEC.id}$`));
  await expect(page.getByTestId('thread-page')).toHaveAttribute('data-thread-id', EXEC.id);
  // Back: the list comes back with the same thread selected.
  await page.goBack();
  await expect(page.locator('[data-testid="thread-row"][aria-selected="true"]')).toContainText(EXEC.title);
});

test('keyboard: / focuses search, j/k move, Escape leaves; detail Open button', async ({
  page,
  threadscope,
}) => {
  await page.goto(threadscope.url);
  const rows = page.getByTestId('thread-row');
  await expect(rows).toHaveCount(LIVE_THREADS);
  const selected = page.locator('[data-testid="thread-row"][aria-selected="true"]');

  await page.locator('body').press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.press('Escape');
  const list = page.getByTestId('thread-list');
  await expect(list).toBeFocused();
  const first = await rows.first().getAttribute('data-thread-id');
  await expect(selected).toHaveAttribute('data-thread-id', first!);
  await list.press('j');
  await expect(selected).toHaveAttribute(
    'data-thread-id',
    (await rows.nth(1).getAttribute('data-thread-id'))!,
  );
  await list.press('k');
  await expect(selected).toHaveAttribute('data-thread-id', first!);

  await page.getByTestId('detail-open').click();
  await expect(page).toHaveURL(new RegExp(`#/thread/${first}$`));
});

test('a thread arriving live keeps the scroll position and the selection', async ({ page, threadscope }) => {
  await page.setViewportSize({ width: 1280, height: 460 });
  await page.goto(threadscope.url);
  const rows = page.getByTestId('thread-row');
  await expect(rows).toHaveCount(LIVE_THREADS);
  const list = page.getByTestId('thread-list');
  await list.evaluate((el) => {
    el.scrollTop = 150;
  });
  /** The first row whose bottom is inside the list, and its top relative to the list's top. */
  const firstVisible = () =>
    list.evaluate((el) => {
      const top = el.getBoundingClientRect().top;
      const visible = [...el.querySelectorAll<HTMLElement>('[data-testid="thread-row"]')]
        .map((r) => ({
          id: r.dataset.threadId,
          y: Math.round(r.getBoundingClientRect().top - top),
          bottom: r.getBoundingClientRect().bottom,
        }))
        .filter((r) => r.bottom > top + 1)
        .sort((a, b) => a.y - b.y)[0];
      return visible ? { id: visible.id, y: visible.y } : null;
    });
  const before = await firstVisible();
  expect(before).not.toBeNull();
  await rows.filter({ hasText: EXEC.title }).click();

  const live = await writeRollout(threadscope.home.codexHome, `Live anchor canary ${Date.now()}`);
  await expect(rows.filter({ hasText: live.title })).toHaveCount(1, { timeout: 10_000 });
  expect(await firstVisible()).toEqual(before);
  await expect(page.locator('[data-testid="thread-row"][aria-selected="true"]')).toContainText(EXEC.title);

  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(rows.first()).toHaveAttribute('data-thread-id', live.id);
});

test('the Content scope searches messages and opens the transcript at the hit', async ({
  page,
  threadscope,
}) => {
  // From the real corpus (local-voice-assistant-codex): the /review thread's answer at position 36.
  const review = {
    id: '019b5669-8da8-7bc3-bed8-e1c1b805dad5',
    phrase: '"wrong payload shape"',
    position: 36,
  };
  await page.goto(threadscope.url);
  await expect(page.getByTestId('thread-row')).toHaveCount(LIVE_THREADS);
  await page.getByTestId('scope-content').click();
  await expect(page).toHaveURL(/scope=content/);
  await expect(page.getByTestId('filter-bar')).toHaveCount(0);
  await page.getByTestId('search-input').fill(review.phrase);
  const hit = page
    .locator(`[data-testid="search-thread"][data-thread-id="${review.id}"]`)
    .getByTestId('search-hit')
    .first();
  await expect(hit).toBeVisible({ timeout: 20_000 });
  await hit.click();
  await expect(page).toHaveURL(
    `${threadscope.origin}/#/thread/${review.id}?at=${review.position}&q=${encodeURIComponent(review.phrase).replaceAll('%20', '+')}`,
  );
  // Back restores the scope and the query from the URL.
  await page.goBack();
  await expect(page.getByTestId('scope-content')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('search-input')).toHaveValue(review.phrase);
});

test('screenshots with filters and grouping active', async ({ page, threadscope }, testInfo) => {
  await page.goto(`${threadscope.url}`);
  await expect(page.getByTestId('thread-row')).toHaveCount(LIVE_THREADS);
  await page.evaluate(() => {
    location.hash = '#/threads?source=cli&source=vscode&group=project';
  });
  await expect(page.getByTestId('group-header').first()).toBeVisible();
  await page.getByTestId('thread-row').first().click();
  await page.screenshot({ path: testInfo.outputPath('threads-grouped-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: testInfo.outputPath('threads-grouped-dark.png') });
  await page.getByTestId('filter-project').click();
  await expect(page.getByTestId('menu-option').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('threads-menu-dark.png') });
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByTestId('group-day').click();
  await page.getByTestId('filter-date').click();
  await page.screenshot({ path: testInfo.outputPath('threads-date-light.png') });
});
