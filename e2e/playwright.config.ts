import { defineConfig } from '@playwright/test';
import { electronBinary } from './electron-binary.ts';

const CI = Boolean(process.env.CI);

// Printed once by the runner process (workers have TEST_WORKER_INDEX set).
if (process.env.TEST_WORKER_INDEX === undefined) {
  const electron = electronBinary();
  if (!electron.path)
    console.log(`[e2e] no Electron binary: the "electron" project will be SKIPPED (${electron.reason})`);
}

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  // Each test starts its own serve process on a temp data dir; one at a time keeps 2-core CI calm.
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '../reports/e2e.json' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 760 },
  },
  projects: [
    {
      name: 'browser',
      testMatch: /\.browser\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    {
      name: 'electron',
      testMatch: /\.electron\.spec\.ts$/,
    },
  ],
});
