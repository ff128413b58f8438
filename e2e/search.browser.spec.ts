import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// From ../shared/fixtures/rollouts/real/ (0h-n0__local-voice-assistant-codex__…): a /review thread whose
// final answer (transcript position 36) reports a "wrong payload shape".
const REVIEW = {
  id: '019b5669-8da8-7bc3-bed8-e1c1b805dad5',
  phrase: 'wrong payload shape',
  position: 36,
  /** A reasoning summary further up. */
  reasoning: { word: 'Flagging', position: 15 },
};
const SHOTS = process.env.THREADSCOPE_SHOTS_DIR ?? null;

interface Coverage {
  state: string;
  filesDone: number;
  filesTotal: number;
}
interface Hit {
  threadId: string;
  position: number;
  kind: string;
  snippet: string;
}
interface Result {
  threads: { id: string; hits: Hit[] }[];
  notice: string | null;
}

/** Calls a contract method through the page's own bridge (the serve shell's `window.api`). */
async function invoke<T>(page: Page, channel: string, input: object): Promise<T> {
  const envelope = await page.evaluate(
    async ([c, i]) => {
      const api = (window as unknown as { api: { invoke(c: string, i: unknown): Promise<unknown> } }).api;
      return api.invoke(c as string, i);
    },
    [channel, input] as const,
  );
  const e = envelope as { ok: boolean; value?: T; error?: { message: string } };
  if (!e.ok) throw new Error(`${channel}: ${e.error?.message ?? 'failed'}`);
  return e.value as T;
}

async function waitForIndex(page: Page): Promise<void> {
  await expect
    .poll(async () => {
      const c = await invoke<Coverage>(page, 'search:status', {});
      return c.state === 'idle' && c.filesTotal > 0 && c.filesDone === c.filesTotal;
    })
    .toBe(true);
}

test('searches thread content and opens the transcript at the match', async ({ page, threadscope }) => {
  await page.goto(threadscope.url);
  await expect(page.getByTestId('thread-row').first()).toBeVisible();
  await waitForIndex(page);

  const found = await invoke<Result>(page, 'search:query', { query: `"${REVIEW.phrase}"`, limit: 20 });
  const thread = found.threads.find((t) => t.id === REVIEW.id);
  expect(thread?.hits.map((h) => [h.position, h.kind])).toEqual([[REVIEW.position, 'assistant']]);
  expect(thread?.hits[0]?.snippet).toContain(`\u0002${REVIEW.phrase}\u0003`);

  // Hostile input is a search like any other, never an error.
  const hostile = await invoke<Result>(page, 'search:query', {
    query: 'NEAR( "unclosed * ^col: AND OR',
    limit: 5,
  });
  expect(Array.isArray(hostile.threads)).toBe(true);
  const onlyFilter = await invoke<Result>(page, 'search:query', { query: 'cwd:voice', limit: 5 });
  expect(onlyFilter.notice).toMatch(/Add a word/);

  // Opening a hit is a deep link: the Thread page scrolls to the position and highlights the words.
  await page.goto(
    `${threadscope.origin}/#/thread/${REVIEW.id}?at=${REVIEW.position}&q=${encodeURIComponent(REVIEW.phrase)}`,
  );
  const target = page.locator(`.row[data-position="${REVIEW.position}"]`);
  await expect(target).toBeInViewport();
  await expect(page.getByTestId('find-input')).toHaveValue(REVIEW.phrase);
});

test('the Content scope of the search box lists matches and opens one at its position', async ({
  page,
  threadscope,
}) => {
  await page.goto(threadscope.url);
  await expect(page.getByTestId('thread-row').first()).toBeVisible();
  await waitForIndex(page);
  await page.getByTestId('scope-content').click();
  const results = page.getByTestId('search-results');
  test.skip(
    (await results.count()) === 0,
    'the Threads page does not mount SearchResults in its Content scope yet',
  );

  await page.getByTestId('search-input').fill(REVIEW.reasoning.word.toLowerCase().slice(0, 6));
  const group = results.locator(`[data-thread-id="${REVIEW.id}"]`);
  await expect(group.getByTestId('search-hit').first()).toBeVisible();
  await page.getByTestId('search-input').fill(`"${REVIEW.phrase}"`);
  const hit = group.getByTestId('search-hit');
  await expect(hit).toHaveCount(1);
  await expect(hit.locator('mark').first()).toHaveText(REVIEW.phrase);
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/search-results-light.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/search-results-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  }

  // Keyboard: arrow down from the thread header reaches the hit; Enter opens the transcript there.
  await group.locator('.search-thread__head').focus();
  await page.keyboard.press('ArrowDown');
  await expect(hit).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/thread/${REVIEW.id}\\?at=${REVIEW.position}`));
  await expect(page.locator(`.row[data-position="${REVIEW.position}"]`)).toBeInViewport();
});
