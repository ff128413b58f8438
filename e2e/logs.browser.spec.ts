import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, test } from './fixtures.ts';
import { createCodexLogsDb, rowsFromRollout, type CodexLogRow } from './support/codex-logs-db.ts';

// Read from the real rollouts in ../shared/fixtures/rollouts/real/ (see SOURCES.md there).
const EXEC = {
  id: '019b0093-0f99-75e3-9b62-65da9e3c9e61',
  title: 'What is you name? And make memory stats report',
};
/** The one empty rollout: ingestion logs a WARN row about it. */
const EMPTY_ROLLOUT = 'rollout-2025-09-24T17-55-48-01997c70-23f7-73d2-8f74-f9124ff97828.jsonl';

const shots = process.env.THREADSCOPE_SHOTS_DIR;

async function shoot(page: Page, name: string, outputPath: (n: string) => string): Promise<void> {
  await page.screenshot({ path: shots ? `${shots}/${name}.png` : outputPath(`${name}.png`) });
}

/** Calls a contract method through the page's own bridge (the serve shell's `window.api`). */
async function invoke(page: Page, channel: string, input: object): Promise<unknown> {
  const envelope = (await page.evaluate(
    async ([c, i]) => {
      const api = (window as unknown as { api: { invoke(c: string, i: unknown): Promise<unknown> } }).api;
      return api.invoke(c as string, i);
    },
    [channel, input] as const,
  )) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.message ?? 'failed'}`);
  return envelope.value;
}

test("Threadscope's own logs: start-up rows with threads, filters, expansion, live rows; Codex says where it looked", async ({
  page,
  threadscope,
}) => {
  await page.goto(threadscope.url);
  await page.getByTestId('nav-logs').click();
  // The default source (ours, as there is no Codex logs DB) is written into the URL.
  await expect(page).toHaveURL(/#\/logs\?source=app$/);
  await expect(page.getByTestId('nav-logs')).toHaveAttribute('aria-current', 'page');

  // No Codex logs DB in this CODEX_HOME: the page opens our own logs and the Codex tab says so.
  await expect(page.getByTestId('logs-source-app')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('logs-source-codex')).toContainText('not found');

  // Start-up logged the scan, each ingested thread (with its id) and the one unreadable rollout.
  const rows = page.getByTestId('log-row');
  await expect(rows.filter({ hasText: 'initial scan:' })).toHaveCount(1);
  const indexed = rows.filter({ hasText: 'thread indexed' });
  await expect(indexed.first()).toBeVisible();
  expect(await indexed.count()).toBeGreaterThanOrEqual(10);
  await expect(indexed.first().locator('a')).toHaveAttribute('href', /^#\/thread\/[0-9a-f-]{36}$/);
  const warn = rows.filter({ hasText: EMPTY_ROLLOUT });
  await expect(warn).toHaveAttribute('data-level', 'WARN');
  await expect(page.getByTestId('log-histogram')).toBeVisible();

  // Minimum level: the URL keeps it, only the WARN row is left; its chip removes it.
  await page.getByTestId('logs-level').selectOption('WARN');
  await expect(page).toHaveURL(/level=WARN/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-level', 'WARN');
  await page.getByTestId('logs-chip').filter({ hasText: 'Level' }).getByTestId('logs-chip-remove').click();
  await expect(page).not.toHaveURL(/level=/);
  await expect(indexed.first()).toBeVisible();

  // "/" focuses the message filter; the typed text narrows the rows and lands in the URL.
  await page.locator('body').press('/');
  const text = page.getByTestId('logs-text');
  await expect(text).toBeFocused();
  await page.keyboard.type('initial scan');
  await expect(page).toHaveURL(/q=initial\+scan/);
  // The rows of the new filter, not the dimmed ones of the previous query still on screen while it
  // loads (on a slow run a single stale row matched the count and took the selection below).
  await expect(page.locator('.logs-page__body')).not.toHaveClass(/is-stale/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('initial scan:');

  // Arrow down enters the table on the first row, Enter expands it to every field, Escape folds it.
  await page.keyboard.press('ArrowDown');
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('log-detail');
  await expect(detail.getByTestId('log-detail-message')).toContainText('initial scan: 15 rollout files seen');
  await expect(detail.getByTestId('log-detail-time')).toHaveText(
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{9} \(local\) · \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/,
  );
  await expect(detail).toContainText('threadscope::ingest');
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);

  // Nothing matches: the page says so and offers to clear the filters.
  await text.fill('no log row says this');
  await expect(page.getByTestId('logs-empty')).toContainText('No rows match these filters');
  await page.getByTestId('logs-clear-filters').click();
  await expect(page).not.toHaveURL(/q=/);
  await expect(text).toHaveValue('');

  // "Filter to this thread" on a row narrows to that thread.
  const threadRow = indexed.first();
  const threadHref = await threadRow.locator('a').getAttribute('href');
  const threadId = threadHref!.slice('#/thread/'.length);
  await threadRow.hover();
  await threadRow.getByTestId('log-filter-thread').click();
  await expect(page).toHaveURL(new RegExp(`thread=${threadId}`));
  await expect(rows.first().locator('a')).toHaveAttribute('href', threadHref!);
  await expect(rows.filter({ hasNot: page.locator(`a[href="${threadHref}"]`) })).toHaveCount(0);
  await page.getByTestId('logs-clear-all').click();

  // Live: what the app logs after the page loaded shows up on its own (a re-scan logs a row).
  await expect(rows.filter({ hasText: 'ingest:rescan done' })).toHaveCount(0);
  await invoke(page, 'ingest:rescan', {});
  await expect(rows.filter({ hasText: 'ingest:rescan done' })).toHaveCount(1);

  // The Codex tab explains what is missing and where it was looked for.
  await page.getByTestId('logs-source-codex').click();
  await expect(page).toHaveURL(/source=codex/);
  await expect(page.getByTestId('logs-unavailable-path')).toHaveText(
    join(threadscope.home.codexHome, 'logs_1.sqlite'),
  );
  await page.getByTestId('logs-show-app').click();
  await expect(rows.filter({ hasText: 'initial scan:' })).toHaveCount(1);
});

test('Codex logs: read-only DB, "logs around" a transcript message, live tail, pause and jump to newest', async ({
  page,
  threadscope,
}, testInfo) => {
  const db = createCodexLogsDb(threadscope.home.codexHome);
  try {
    const corpus = [...threadscope.home.rollouts.values()]
      .flatMap(rowsFromRollout)
      .sort((a, b) => a.ms - b.ms);
    db.insert(corpus);
    const latest = corpus.at(-1)!.ms;
    let clock = Math.max(Date.now(), latest + 1000);
    const live = (message: string, level = 'INFO'): CodexLogRow => ({
      ms: (clock += 10),
      level,
      target: 'codex_core::codex',
      message,
      threadId: EXEC.id,
      processUuid: 'pid:4242:e2e',
    });

    // A transcript message links to the Codex logs of its thread around its moment.
    await page.goto(threadscope.url);
    await page.goto(`${threadscope.origin}/#/thread/${EXEC.id}`);
    const message = page.getByTestId('message-user').first();
    await message.hover();
    const around = message.getByTestId('logs-around');
    const href = (await around.getAttribute('href'))!;
    const at = Number(new URLSearchParams(href.split('?')[1]).get('around'));
    expect(href).toBe(`#/logs?source=codex&thread=${EXEC.id}&sub=1&around=${at}`);
    await around.click();
    await expect(page.getByTestId('logs-page')).toHaveAttribute('data-source', 'codex');
    const expected = corpus.filter((r) => r.threadId === EXEC.id && Math.abs(r.ms - at) < 30_000);
    expect(expected.length).toBeGreaterThan(0);
    const rows = page.getByTestId('log-row');
    await expect(rows).toHaveCount(expected.length);
    await expect(rows.filter({ hasText: 'Submission: UserInput' })).toHaveCount(1);
    const chips = page.getByTestId('logs-chip');
    await expect(chips.filter({ hasText: 'Thread' })).toContainText('+ sub-agents');
    await expect(chips.filter({ hasText: 'Time' })).toBeVisible();

    // Every row of the DB without filters; the count is exact (from the histogram).
    await page.getByTestId('logs-clear-all').click();
    await expect(page.getByTestId('logs-count')).toHaveText(`${corpus.length.toLocaleString('en-US')} rows`);
    await expect(page.getByTestId('log-histogram')).toBeVisible();
    await shoot(page, 'logs-codex-light', (n) => testInfo.outputPath(n));
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, 'logs-codex-dark', (n) => testInfo.outputPath(n));
    await page.emulateMedia({ colorScheme: 'light' });

    // A click on the histogram narrows the time range to that bucket.
    await page
      .getByTestId('log-histogram')
      .locator('svg')
      .click({ position: { x: 4, y: 45 } });
    await expect(page).toHaveURL(/from=\d+&to=\d+/);
    await expect(chips.filter({ hasText: 'Time' })).toBeVisible();
    await expect(rows.first()).toBeVisible();
    await page.getByTestId('logs-clear-all').click();
    await expect(page).not.toHaveURL(/from=/);

    // A row written while the page is open appears at the top by itself.
    db.insert([live('live row one')]);
    await expect(rows.first()).toContainText('live row one');
    await rows.first().click();
    await expect(page.getByTestId('log-detail-time')).toHaveText(/\.\d{3}004321 \(local\)/);
    await rows.first().click();

    // Paused: new rows are only counted; resuming shows them.
    const toggle = page.getByTestId('logs-live');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    db.insert([live('paused row 1'), live('paused row 2'), live('paused row 3')]);
    await expect(page.getByTestId('logs-live-pending')).toHaveText('3 new');
    await expect(rows.filter({ hasText: 'paused row' })).toHaveCount(0);
    await toggle.click();
    await expect(rows.first()).toContainText('paused row 3');
    await expect(rows.filter({ hasText: 'paused row' })).toHaveCount(3);
    await expect(page.getByTestId('logs-live-pending')).toHaveCount(0);

    // The live tail honours the filters.
    await page.getByTestId('logs-level').selectOption('WARN');
    await expect(rows.first()).toHaveAttribute('data-level', /WARN|ERROR/);
    db.insert([live('quiet row'), live('loud row', 'ERROR')]);
    await expect(rows.first()).toContainText('loud row');
    await expect(rows.filter({ hasText: 'quiet row' })).toHaveCount(0);
    await page.getByTestId('logs-level').selectOption('');

    // Scrolled down: the view stays put and offers a jump to the newest rows.
    await expect(rows.first()).toContainText('loud row');
    const table = page.getByTestId('log-table');
    await table.evaluate((el) => (el.scrollTop = 600));
    const box = (await table.boundingBox())!;
    const rowAt = (): Promise<string | null> =>
      page.evaluate(
        ([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-testid="log-row"]')?.id ?? null,
        [box.x + 400, box.y + 120],
      );
    const before = await rowAt();
    expect(before).not.toBeNull();
    db.insert([live('arrived while scrolled')]);
    const jump = page.getByTestId('logs-jump-newest');
    await expect(jump).toHaveText('1 new row — jump to newest');
    expect(await rowAt()).toBe(before);
    await jump.click();
    await expect(rows.first()).toContainText('arrived while scrolled');
    await expect(jump).toHaveCount(0);

    // Keyboard: j / k move the selection, Enter expands.
    await table.focus();
    await page.keyboard.press('j');
    await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('j');
    await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('log-detail-message')).toHaveText('arrived while scrolled');
  } finally {
    db.close();
  }
});
