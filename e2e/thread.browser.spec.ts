import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// Read from the real rollouts in ../shared/fixtures/rollouts/real/ (see SOURCES.md there).
const BIG = {
  id: '019f9b36-1e6d-7651-9801-5450483871e2',
  firstRequest: '이 프로젝트에 맞는 데이터셋을 처리할 거야',
  turns: 26,
  /** Turn 21 (index 20) opens with the user message at this position. */
  laterTurn: { index: 20, messagePosition: 1033, text: '처음에 뽑힌 encoder visible' },
  /** A code-mode script whose output holds a PNG, and a web search. */
  imageCall: 936,
  webSearch: 1103,
  /** A word that occurs in many messages and commands. */
  word: 'viser',
};
const LEGACY = {
  id: '8a837827-6a97-40ad-9fc8-905176aa9307',
  userText: 'あなたのグローバルルールはどこに設定すればいい？',
};

const shots = process.env.THREADSCOPE_SHOTS_DIR;

async function shoot(page: Page, name: string, outputPath: (n: string) => string): Promise<void> {
  await page.screenshot({ path: shots ? `${shots}/${name}.png` : outputPath(`${name}.png`) });
}

const row = (page: Page, position: number) => page.locator(`.row[data-position="${position}"]`);

test('opens the largest thread: messages, tool cards, outline jumps, find and deep links', async ({
  page,
  threadscope,
}, testInfo) => {
  await page.goto(threadscope.url);
  await page.goto(`${threadscope.origin}/#/thread/${BIG.id}`);

  await expect(page.getByTestId('thread-title')).toContainText(BIG.firstRequest);
  const transcript = page.getByTestId('transcript');
  await expect(transcript.getByTestId('message-user').first()).toContainText(BIG.firstRequest);
  await expect(transcript.getByTestId('message-assistant').first()).toBeVisible();
  const shell = transcript.locator('[data-testid="tool-card"][data-tool="shell"]').first();
  await expect(shell.getByTestId('exit-code')).toHaveText(/^exit \d+$/);
  // A card opens to show its command and output.
  await shell.getByRole('button').first().click();
  await expect(shell.locator('.tool__command')).toContainText('rg --files');
  await expect(page.getByTestId('outline-turn')).toHaveCount(BIG.turns);
  await shoot(page, 'thread-light', testInfo.outputPath.bind(testInfo));
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'thread-dark', testInfo.outputPath.bind(testInfo));
  await page.emulateMedia({ colorScheme: 'light' });

  // Outline: a later turn scrolls its message into view and becomes the active turn.
  const later = page.getByTestId('outline-turn').nth(BIG.laterTurn.index);
  await expect(later).toHaveAttribute('data-position', String(BIG.laterTurn.messagePosition));
  await later.click();
  await expect(row(page, BIG.laterTurn.messagePosition)).toBeInViewport();
  await expect(row(page, BIG.laterTurn.messagePosition)).toContainText(BIG.laterTurn.text);
  await expect(later).toHaveAttribute('aria-current', 'location');
  // `]` goes to the next turn, `[` back.
  await transcript.focus();
  await page.keyboard.press(']');
  await expect(page.getByTestId('outline-turn').nth(BIG.laterTurn.index + 1)).toHaveAttribute(
    'aria-current',
    'location',
  );
  await page.keyboard.press('[');
  await expect(later).toHaveAttribute('aria-current', 'location');

  // The Tools tab lists calls; a click jumps to the card; patches render as diffs.
  await page.getByTestId('outline-tab-tools').click();
  const patchEntry = page.getByTestId('outline-entry').filter({ hasText: 'apply_patch' }).first();
  const patchPosition = Number(await patchEntry.getAttribute('data-position'));
  await patchEntry.click();
  await expect(row(page, patchPosition)).toBeInViewport();
  await expect(row(page, patchPosition).getByTestId('diff-file').first()).toBeVisible();
  await shoot(page, 'thread-patch-light', testInfo.outputPath.bind(testInfo));
  await page.getByTestId('outline-tab-errors').click();
  await expect(page.getByTestId('outline-entry').first()).toBeVisible();

  // Find in thread: Ctrl+F, type, Enter steps to the next match, which is scrolled into view.
  await page.keyboard.press('Control+f');
  const input = page.getByTestId('find-input');
  await expect(input).toBeFocused();
  await input.fill(BIG.word.toUpperCase());
  const status = page.getByTestId('find-status');
  await expect(status).toHaveText(/^\d+ of \d+$/);
  const count = Number((await status.textContent())!.split(' of ')[1]);
  expect(count).toBeGreaterThan(20);
  const before = await status.textContent();
  await input.press('Enter');
  await expect(status).not.toHaveText(before!);
  const current = page.locator('.row.is-match');
  await expect(current).toBeInViewport();
  await expect(current).toContainText(new RegExp(BIG.word, 'i'));
  await shoot(page, 'thread-find-light', testInfo.outputPath.bind(testInfo));
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'thread-find-dark', testInfo.outputPath.bind(testInfo));
  await page.emulateMedia({ colorScheme: 'light' });
  await input.press('Shift+Enter');
  await expect(status).toHaveText(before!);
  await input.press('Escape');
  await expect(page.getByTestId('find-bar')).toHaveCount(0);

  // Deep link from content search: ?at= scrolls there and flashes, ?q= pre-fills find.
  await page.goto(
    `${threadscope.origin}/#/thread/${BIG.id}?at=${BIG.laterTurn.messagePosition}&q=${BIG.word}`,
  );
  await expect(row(page, BIG.laterTurn.messagePosition)).toBeInViewport();
  await expect(page.getByTestId('find-input')).toHaveValue(BIG.word);
  await expect(page.getByTestId('find-status')).toHaveText(/^\d+ of \d+$/);

  // Images a tool returned show as thumbnails; web searches get their own card.
  await page.getByTestId('find-input').press('Escape');
  await page.goto(`${threadscope.origin}/#/thread/${BIG.id}?at=${BIG.imageCall}`);
  await expect(row(page, BIG.imageCall).locator('.thumb img')).toBeVisible();
  await shoot(page, 'thread-images-light', testInfo.outputPath.bind(testInfo));
  await page.goto(`${threadscope.origin}/#/thread/${BIG.id}?at=${BIG.webSearch}`);
  await expect(row(page, BIG.webSearch).locator('[data-tool="web"]')).toContainText('ijepa');

  // Escape (outside the find bar) goes back to the list.
  await transcript.focus();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/#\/threads$/);
});

test('renders a legacy (pre-envelope) thread and links sub-agents to their parent', async ({
  page,
  threadscope,
}, testInfo) => {
  await page.goto(threadscope.url);
  await page.goto(`${threadscope.origin}/#/thread/${LEGACY.id}`);
  const transcript = page.getByTestId('transcript');
  await expect(transcript.getByTestId('message-user').filter({ hasText: LEGACY.userText })).toBeVisible();
  await expect(transcript.getByTestId('message-assistant').first()).toBeVisible();
  await expect(page.getByTestId('outline-turn')).toHaveCount(6);
  await shoot(page, 'thread-legacy-light', testInfo.outputPath.bind(testInfo));

  // A spawned sub-agent links to its parent, and the lineage tree shows both.
  await page.goto(`${threadscope.origin}/#/thread/019c755f-a102-7ab2-bde8-460b1d554d4d`);
  const side = page.getByTestId('thread-side');
  const parentLink = side.getByTestId('relative-link').first();
  await expect(parentLink).toHaveAttribute('href', '#/thread/019c755e-168e-73c1-951b-0ef453bde2ee');
  await expect(side.getByTestId('lineage').locator('.lineage__link')).toHaveCount(2);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'thread-subagent-dark', testInfo.outputPath.bind(testInfo));
  await parentLink.click();
  await expect(page).toHaveURL(/#\/thread\/019c755e-168e-73c1-951b-0ef453bde2ee$/);
  await expect(side.getByTestId('relative-link')).toHaveCount(1);
  // Its spawn_agent card links to the spawned agent's thread.
  await page.getByTestId('outline-tab-tools').click();
  const spawn = page.getByTestId('outline-entry').filter({ hasText: 'spawn_agent' }).first();
  const spawnPosition = Number(await spawn.getAttribute('data-position'));
  await spawn.click();
  const card = page.locator(`.row[data-position="${spawnPosition}"]`).getByTestId('tool-card');
  await card.getByRole('button').first().click();
  await expect(card.getByTestId('agent-link')).toHaveAttribute(
    'href',
    '#/thread/019c755f-a102-7ab2-bde8-460b1d554d4d',
  );
  await shoot(page, 'thread-parent-dark', testInfo.outputPath.bind(testInfo));

  // An unknown id explains itself.
  await page.goto(`${threadscope.origin}/#/thread/00000000-0000-4000-8000-000000000000`);
  await expect(page.getByTestId('thread-error')).toContainText('Thread not found');
});
