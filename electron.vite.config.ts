import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const r = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// main is ESM with three entries: the Electron shell, the headless serve shell and the CLI
// (and the benchmarks) all share one bundle graph so they run the exact same services.
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: r('main/index.ts'),
          serve: r('main/serve/serve-main.ts'),
          cli: r('main/cli/cli-main.ts'),
          bench: r('bench/run-bench.ts'),
          // Worker threads: ingestion with its own write connection, and parallel rollout reading.
          'ingest-worker': r('main/ingest/ingest-worker.ts'),
          'extract-worker': r('main/rollouts/extract-worker.ts'),
          'search-worker': r('main/search/search-worker.ts'),
          'logs-worker': r('main/logs/logs-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron'): bundle zod and the contract into it.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: r('preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: r('renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rolldownOptions: { input: { index: r('renderer/index.html') } },
    },
  },
});
