import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import {
  startFakeModelServer,
  type FakeModelServer,
  type ModelRequest,
} from '../main/test-support/fake-model-server.ts';
import {
  createCodexHome,
  fixturesAvailable,
  realRolloutsDir,
  writeRollout,
  type CodexHome,
  type NewRollout,
} from './support/codex-home.ts';
import { startServe, type ServeProcess } from './support/serve-process.ts';

const SHOTS = process.env.THREADSCOPE_SHOTS_DIR ?? null;
const HOUR = 3_600_000;

interface App {
  serve: ServeProcess;
  home: CodexHome;
  model: FakeModelServer;
  /** Two CLI threads last active a few hours ago: what phase 1 picks (the real fixtures are months old). */
  parser: NewRollout;
  flaky: NewRollout;
}

const schemaName = (r: ModelRequest): string =>
  String(((r.body?.response_format as { json_schema?: { name?: string } }) ?? {}).json_schema?.name ?? '');
const userText = (r: ModelRequest): string =>
  String(
    ((r.body?.messages as { role: string; content: string }[]) ?? []).find((m) => m.role === 'user')
      ?.content ?? '',
  );

/**
 * A model that extracts one memory per thread (named after what the thread asked) and consolidates them
 * into a MEMORY.md shaped like the seed's prompt asks: task groups whose `rollout_summary_files` cite each
 * thread (`thread_id=…`) and its summary file, then keywords and learnings.
 */
function model(r: ModelRequest): unknown {
  const text = userText(r);
  if (schemaName(r) === 'memory_consolidation') {
    const inputs = [...text.matchAll(/thread_id=([0-9a-f-]{36}), rollout_summary_file=(\S+\.md)/g)];
    const cite = (slug: string): string => {
      const hit = inputs.find(([, , file]) => file!.includes(slug));
      return hit ? `thread_id=${hit[1]}` : '';
    };
    return {
      memory_md: [
        '# Task Group: live-project — parser and test reliability',
        '',
        'scope: fixes in `/home/e2e/live-project` (Markdown parser, upload tests)',
        '',
        '### rollout_summary_files',
        ...inputs.map(([, id, file]) => `- ${file} (cwd=/home/e2e/live-project, thread_id=${id})`),
        '',
        '### keywords',
        'parser, nested lists, flaky tests, temp dirs, uploads',
        '',
        '### learnings',
        `- Nested lists: indentation counts from the list marker, not the line start (${cite('fix_parser')}).`,
        '- Run `npm test -- --run` before pushing; parser fixtures live in `test/fixtures/`.',
        `- The flaky upload tests shared one temp dir: give each test its own \`mkdtemp\` (${cite('fix_flaky')}).`,
        '',
        '## General tips',
        '- Ask before changing the public signature of `parse()`.',
        '- Prefer a failing test first, then the fix.',
      ].join('\n'),
      memory_summary_md:
        '## User Profile\nPrefers small, reviewed diffs.\n\n## General Tips\n- Read MEMORY.md first.\n',
    };
  }
  const which = text.includes('parser') ? 'parser' : 'flaky tests';
  return {
    rollout_summary: `# Fixed the ${which}\n\n## Outcome\nDone, with a regression test.\n\n## Reusable knowledge\n- Keep fixtures small.`,
    rollout_slug: `fix-${which.replace(' ', '-')}`,
    raw_memory: `---\ndescription: ${which}\ntask: fix the ${which}\ntask_outcome: success\n---\n### Task 1: fix the ${which}\n- reproduced first, then fixed`,
  };
}

/** A rollout dated `hoursAgo`, with the conversation lines phase 1 reads (response items). */
async function idleThread(codexHome: string, title: string, hoursAgo: number): Promise<NewRollout> {
  const at = new Date(Date.now() - hoursAgo * HOUR);
  const r = await writeRollout(codexHome, title, '/home/e2e/live-project', at);
  const ts = at.toISOString();
  const message = (role: string, text: string) => ({
    timestamp: ts,
    type: 'response_item',
    payload: {
      type: 'message',
      role,
      content: [{ type: role === 'user' ? 'input_text' : 'output_text', text }],
    },
  });
  await appendFile(
    r.path,
    [message('user', title), message('assistant', `Done: ${title.toLowerCase()}.`)]
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n',
  );
  return r;
}

const test = base.extend<{ app: App }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured
  app: async ({}, use, testInfo) => {
    testInfo.skip(!fixturesAvailable(), `Real rollout fixtures not found at ${realRolloutsDir}.`);
    const home = await createCodexHome();
    const parser = await idleThread(home.codexHome, 'Fix the parser for nested lists', 3);
    const flaky = await idleThread(home.codexHome, 'Make the flaky upload tests pass', 4);
    // Slow enough that "running" is on screen for a moment, fast enough for the suite.
    const model_ = await startFakeModelServer({ output: model, delayMs: 600 });
    let serve: ServeProcess | null = null;
    try {
      serve = await startServe(home.codexHome, home.dataDir);
      await use({ serve, home, model: model_, parser, flaky });
    } finally {
      await serve?.stop();
      if (serve && testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('serve-stderr.txt', { body: serve.stderr(), contentType: 'text/plain' });
      }
      await model_.close();
      await home.cleanup();
    }
  },
});

async function shoot(page: Page, name: string, target?: Locator): Promise<void> {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const path = join(SHOTS, `${name}-${scheme}.png`);
    await (target ? target.screenshot({ path }) : page.screenshot({ path }));
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('memories: enable with a local model server, run, read the files with thread links, drop', async ({
  page,
  app,
}) => {
  await page.goto(app.serve.url);
  await page.getByTestId('nav-memories').click();
  await expect(page).toHaveURL(/#\/memories$/);
  const state = page.getByTestId('memories-state');
  await expect(state).toHaveAttribute('data-state', 'off');
  await expect(page.getByTestId('memories-files-empty')).toContainText('The pipeline is off');
  await shoot(page, 'memories-empty');
  // Run now explains itself while the pipeline is off, and nothing is asked of the model.
  const run = page.getByTestId('memories-run');
  await expect(run).toHaveAttribute('aria-disabled', 'true');
  await expect(run).toHaveAttribute('title', /enable it in the Settings tab/);
  // aria-disabled (not disabled): it stays focusable and says why when used.
  await run.click({ force: true });
  await expect(page.getByTestId('toast')).toContainText('enable it in the Settings tab');
  expect(app.model.requests).toHaveLength(0);

  // Settings: an OpenAI-compatible server, a 1-hour idle time, on. A bad value is refused inline first.
  await page.getByTestId('memories-tab-settings').click();
  await expect(page).toHaveURL(/tab=settings/);
  const settings = page.getByTestId('memories-settings');
  await expect(settings.getByTestId('memories-setting-extract-model')).toHaveAttribute(
    'placeholder',
    'gpt-5.1-codex-mini',
  );
  await expect(settings.getByTestId('memories-setting-consolidation-model')).toHaveAttribute(
    'placeholder',
    'gpt-5.3-codex',
  );
  await settings.getByTestId('memories-provider-openai-compatible').check();
  await settings.getByTestId('memories-setting-compat-base-url').fill(app.model.baseUrl);
  await settings.getByTestId('memories-setting-extract-model').fill('fake-mini');
  await settings.getByTestId('memories-setting-min_rollout_idle_hours').fill('0');
  await settings.getByTestId('memories-setting-enabled').click();
  await settings.getByTestId('memories-settings-save').click();
  await expect(settings.getByRole('alert').filter({ hasText: 'Between 1 and 48' })).toBeVisible();
  await settings.getByTestId('memories-setting-min_rollout_idle_hours').fill('1');
  await shoot(page, 'memories-settings');
  await settings.getByTestId('memories-settings-save').click();
  await expect(settings.getByTestId('memories-settings-save')).toBeDisabled();
  // Off the "saved" toast (hovering keeps it), so it leaves before the next screenshots.
  await page.mouse.move(400, 300);
  await expect(state).toHaveAttribute('data-state', 'idle');

  // Run now: running (phase by phase), then idle with the results.
  await expect(run).toHaveAttribute('aria-disabled', 'false');
  await run.click();
  await expect(state).toHaveAttribute('data-state', 'running');
  await expect(state).toContainText('Running');
  await shoot(page, 'memories-running', page.locator('.mem-toolbar'));
  await expect(state).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  const lastRun = page.getByTestId('memories-last-run');
  await expect(lastRun).toContainText('2 claimed · 2 succeeded · 0 no output · 0 failed');
  await expect(lastRun).toContainText('consolidated · 2 selected');
  await expect(page.getByTestId('memories-count-outputs')).toHaveText('2');
  await expect(page.getByTestId('memories-count-selected')).toHaveText('2');
  const extraction = app.model.requests.find((r) => schemaName(r) === 'memory_extraction');
  expect(extraction?.body?.model).toBe('fake-mini');

  // Outputs: both threads, selected; a row opens its summary and raw memory.
  await page.getByTestId('memories-tab-outputs').click();
  const rows = page.getByTestId('memories-output-row');
  await expect(rows).toHaveCount(2);
  const parserRow = rows.filter({ hasText: app.parser.title });
  await expect(parserRow).toContainText('fix-parser');
  await expect(parserRow).toContainText('selected');
  await parserRow.click();
  const detail = page.getByTestId('memories-output-detail');
  await expect(detail.getByRole('heading', { name: 'Fixed the parser' })).toBeVisible();
  // The raw memory's front matter reads as a block, not as a heading.
  await expect(detail.locator('code.language-yaml')).toContainText('task_outcome: success');
  await shoot(page, 'memories-outputs');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();

  // Jobs: one extraction per thread and the global consolidation, all done.
  await page.getByTestId('memories-tab-jobs').click();
  const jobs = page.getByTestId('memories-job-row');
  await expect(jobs).toHaveCount(3);
  await expect(page.locator('[data-testid="memories-job-row"][data-status="done"]')).toHaveCount(3);
  await expect(jobs.filter({ hasText: 'global' })).toHaveAttribute('data-kind', 'memory_consolidate_global');
  await expect(jobs.filter({ hasText: app.flaky.title })).toHaveAttribute('data-status', 'done');
  await shoot(page, 'memories-jobs');

  // Files: the seed's layout; MEMORY.md opens first, with its thread ids as links.
  await page.getByTestId('memories-tab-files').click();
  const tree = page.getByTestId('memories-tree');
  for (const path of ['MEMORY.md', 'memory_summary.md', 'raw_memories.md', 'rollout_summaries'])
    await expect(tree.locator(`[data-path="${path}"]`)).toBeVisible();
  await expect(tree.locator('[data-path^="rollout_summaries/"]')).toHaveCount(2);
  const file = page.getByTestId('memories-file');
  await expect(file).toHaveAttribute('data-path', 'MEMORY.md');
  await expect(file.getByRole('heading', { name: /^Task Group: live-project/ })).toBeVisible();
  // Cited twice (the summary file list, a learning); titled with the thread's title.
  const parserLinks = file.locator(`a[href="#/thread/${app.parser.id}"]`);
  await expect(parserLinks).toHaveCount(2);
  await expect(parserLinks.first()).toHaveAttribute('title', app.parser.title);
  await expect(file.locator('a[href^="#/memories?file=rollout_summaries"]')).toHaveCount(2);
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await shoot(page, 'memories-files');

  // Keyboard: the tree moves with the arrows and opens with Enter.
  await tree.locator('[data-path="MEMORY.md"]').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(file).toHaveAttribute('data-path', 'memory_summary.md');
  await expect(page).toHaveURL(/file=memory_summary\.md/);

  // raw_memories.md: each `## Thread` heading links its thread; the summary file links into the tree.
  await tree.locator('[data-path="raw_memories.md"]').click();
  await expect(file.getByRole('heading', { name: app.flaky.id })).toBeVisible();
  const summaryLink = file.locator('a[href^="#/memories?file=rollout_summaries"]').first();
  await summaryLink.click();
  await expect(file).toHaveAttribute('data-path', /^rollout_summaries\/.+-fix_.+\.md$/);
  await expect(file.locator('a[href^="#/thread/"]')).toHaveCount(1);

  // A thread link opens the thread, whose side panel shows its memory.
  await tree.locator('[data-path="MEMORY.md"]').click();
  await file.locator(`a[href="#/thread/${app.parser.id}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`#/thread/${app.parser.id}`));
  const memory = page.getByTestId('thread-memory');
  await expect(memory.getByTestId('thread-memory-mode')).toHaveText('enabled');
  await expect(memory.getByTestId('thread-memory-output')).toContainText('fix-parser');
  await memory.getByText('Rollout summary').click();
  await expect(memory.getByRole('heading', { name: 'Fixed the parser' })).toBeVisible();
  await memory.scrollIntoViewIfNeeded();
  await shoot(page, 'memories-thread', page.getByTestId('thread-side'));
  // The mode switch: disabled and back.
  await memory.getByTestId('thread-memory-switch').click();
  await expect(memory.getByTestId('thread-memory-mode')).toHaveText('disabled');
  await expect(memory.getByTestId('thread-memory-switch')).toHaveAttribute('aria-checked', 'false');
  await memory.getByTestId('thread-memory-switch').click();
  await expect(memory.getByTestId('thread-memory-mode')).toHaveText('enabled');

  // Drop memories: the dialog says what goes; Esc keeps everything, confirming empties it all.
  await page.getByTestId('nav-memories').click();
  await page.getByTestId('memories-drop').click();
  const dialog = page.getByTestId('memories-drop-dialog');
  await expect(dialog).toContainText('every stage-1 output (2 thread summaries)');
  await expect(dialog).toContainText('MEMORY.md');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('memories-count-outputs')).toHaveText('2');
  await page.getByTestId('memories-drop').click();
  await shoot(page, 'memories-drop', dialog);
  await dialog.getByTestId('memories-drop-dialog-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('memories-count-outputs')).toHaveText('0');
  await expect(page.getByTestId('memories-files-empty')).toContainText('The memory root is empty');
  await page.getByTestId('memories-tab-jobs').click();
  await expect(page.getByTestId('memories-jobs-empty')).toBeVisible();

  // The thread has no output any more; its mode is untouched.
  await page.goto(`${app.serve.origin}/#/thread/${app.parser.id}`);
  await expect(page.getByTestId('thread-memory-none')).toBeVisible();
  await expect(page.getByTestId('thread-memory-mode')).toHaveText('enabled');
});
