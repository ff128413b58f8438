import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from './electron-binary.ts';
import { createCodexHome, fixturesAvailable, realRolloutsDir, repoRoot } from './support/codex-home.ts';

test('the desktop window shows the Threads screen', async () => {
  const binary = electronBinary();
  test.skip(!binary.path, binary.reason);
  test.skip(!fixturesAvailable(), `Real rollout fixtures not found at ${realRolloutsDir}`);

  const home = await createCodexHome();
  // Chromium refuses to run as root with its sandbox on (CI containers run as root).
  const sandboxArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await electron.launch({
    executablePath: binary.path!,
    args: [repoRoot, ...sandboxArgs, '--codex-home', home.codexHome, '--data-dir', home.dataDir],
    env: { ...process.env, THREADSCOPE_DATA_DIR: home.dataDir },
  });
  try {
    const window = await app.firstWindow();
    // Served from the app's own origin, never file:// (main/window/renderer-protocol.ts).
    expect(window.url()).toMatch(/^app:\/\/threadscope\//);
    await expect(window.getByTestId('threads-page')).toBeVisible();
    await expect(window.getByTestId('nav-threads')).toHaveAttribute('aria-current', 'page');
    await expect(window.getByTestId('thread-row').first()).toBeVisible({ timeout: 20_000 });
  } finally {
    await app.close();
    await home.cleanup();
  }
});
