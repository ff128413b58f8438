import { test as base, expect } from '@playwright/test';
import { createCodexHome, fixturesAvailable, realRolloutsDir, type CodexHome } from './support/codex-home.ts';
import { startServe, type ServeProcess } from './support/serve-process.ts';

export interface Threadscope extends ServeProcess {
  home: CodexHome;
}

/**
 * `threadscope`: a temp CODEX_HOME filled with real rollouts, a temp data dir, and the built serve
 * shell running on them. Torn down (process stopped, folders removed) after each test.
 */
export const test = base.extend<{ threadscope: Threadscope }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured
  threadscope: async ({}, use, testInfo) => {
    testInfo.skip(
      !fixturesAvailable(),
      `Real rollout fixtures not found at ${realRolloutsDir} (the ../shared checkout is absent); set THREADSCOPE_FIXTURES_DIR to run.`,
    );
    const home = await createCodexHome();
    let server: ServeProcess | null = null;
    try {
      server = await startServe(home.codexHome, home.dataDir);
      await use({ ...server, home });
    } finally {
      await server?.stop();
      if (server && testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('serve-stderr.txt', { body: server.stderr(), contentType: 'text/plain' });
      }
      await home.cleanup();
    }
  },
});

export { expect };
