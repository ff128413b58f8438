import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, BrowserType, Page } from '@playwright/test';
import { repoRoot } from './corpus.ts';
import { fillThreads } from './fill-threads.ts';
import {
  baselineHtml,
  INIT_SCRIPT,
  SCROLL_SCRIPT,
  type PageTasks,
  type ScrollOptions,
  type ScrollResult,
} from './render-page.ts';
import { RENDER_THREAD_ID, writeRenderTranscript } from './render-transcript.ts';
import { percentile } from './stats.ts';

export interface RenderInput {
  dataDir: string;
  threads: number;
  transcriptLines: number;
  quick: boolean;
  seed: number;
  keep: boolean;
}

export interface ScrollStats {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  over50: number;
  /** Long tasks (Long Tasks API) between the first and the last scripted frame. */
  longestTaskMs: number;
  longTasks: number;
  /** Per stage (fling, jumps, End, Home): frames, the longest frame and the longest task. */
  stages: { name: string; frames: number; maxFrameMs: number; longestTaskMs: number }[];
  /** The long animation frame with the most blocking time, with its longest script. */
  worstFrame: string | null;
  maxDomRows: number;
  maxIndex: number;
  maxScrollTop: number;
  scrollHeight: number;
  stalledFrames: number;
  endReason: string;
  /** Navigation to the first row drawn, and the longest task before scrolling started. */
  firstRowsMs: number;
  loadLongestTaskMs: number;
  /** What the scroll container was found by. */
  container: string;
}

export type RenderOutput =
  | { skipped: string }
  | {
      skipped: null;
      threads: number;
      transcriptLines: number;
      rowHeight: number;
      fillMs: number;
      startMs: number;
      baseline: ScrollStats;
      list: ScrollStats;
      transcript: ScrollStats | { error: string };
    };

/** As e2e/playwright.config.ts launches it. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const URL_LINE = /^Threadscope serving (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;
/** Kept out of the bundle: a devDependency resolved at run time from node_modules. */
const PLAYWRIGHT = '@playwright/test';
const BASELINE_URL = 'http://baseline.invalid/';

interface Serve {
  url: string;
  stop(): Promise<void>;
}

/** The built serve shell in its own process group, started on `dataDir`; resolves once ingest is done. */
async function startServe(serveJs: string, codexHome: string, dataDir: string): Promise<Serve> {
  const token = randomBytes(32).toString('hex');
  const child: ChildProcess = spawn(
    process.execPath,
    [serveJs, '--codex-home', codexHome, '--data-dir', dataDir, '--port', '0', '--token', token],
    { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
        process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  // Its own group does not see the terminal's Ctrl-C: take it down with us on every path.
  const onExit = (): void => killGroup('SIGKILL');
  const onSignal = (signal: NodeJS.Signals): void => {
    killGroup('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  let stderr = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let found = '';
      const timer = setTimeout(() => reject(new Error(`serve not ready in 60 s\n${stderr}`)), 60_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        found = URL_LINE.exec(line.trim())?.[1] ?? found;
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        stderr += `${line}\n`;
        if (line.includes('ingest done') || line.includes('ingest failed')) {
          clearTimeout(timer);
          if (found) resolve(found);
          else reject(new Error(`serve printed no URL\n${stderr}`));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code ?? signal}\n${stderr}`));
      });
    });
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function stats(r: ScrollResult, tasks: PageTasks, firstRowsMs: number, container: string): ScrollStats {
  const inWindow = <T extends { start: number }>(xs: T[]): T[] =>
    xs.filter((x) => x.start >= r.startMs && x.start <= r.endMs);
  const long = inWindow(tasks.longTasks);
  const worst = inWindow(tasks.loafs).sort((a, b) => b.blocking - a.blocking)[0];
  return {
    frames: r.frames.length,
    p50Ms: percentile(r.frames, 50),
    p95Ms: percentile(r.frames, 95),
    p99Ms: percentile(r.frames, 99),
    maxMs: percentile(r.frames, 100),
    over50: r.frames.filter((f) => f > 50).length,
    longestTaskMs: Math.max(0, ...long.map((t) => t.duration)),
    longTasks: long.length,
    stages: r.stages.map((st, i) => {
      const end = r.stages[i + 1]?.start ?? r.endMs;
      const frames = r.frames.filter((_, k) => r.frameStages[k] === i);
      return {
        name: st.name,
        frames: frames.length,
        maxFrameMs: Math.max(0, ...frames),
        longestTaskMs: Math.max(
          0,
          ...long.filter((t) => t.start >= st.start && t.start < end).map((t) => t.duration),
        ),
      };
    }),
    worstFrame: worst
      ? `${Math.round(worst.duration)} ms frame, ${Math.round(worst.blocking)} ms blocking${worst.script ? `; longest script: ${worst.script}` : ''}`
      : null,
    maxDomRows: r.maxDomRows,
    maxIndex: r.maxIndex,
    maxScrollTop: r.maxScrollTop,
    scrollHeight: r.scrollHeight,
    stalledFrames: r.stalledFrames,
    endReason: r.endReason,
    firstRowsMs,
    loadLongestTaskMs: Math.max(
      0,
      ...tasks.longTasks.filter((t) => t.start < r.startMs).map((t) => t.duration),
    ),
    container,
  };
}

/** Opens a fresh page (own context), waits for the `ready` selector, then runs the scroll script in it. */
async function measure(
  browser: Browser,
  open: (page: Page) => Promise<void>,
  ready: string,
  o: ScrollOptions,
): Promise<ScrollStats> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  try {
    await page.addInitScript(INIT_SCRIPT);
    const t = performance.now();
    await open(page);
    let container = o.selector ?? 'largest scrollable element';
    let options = o;
    try {
      await page.waitForSelector(ready, { timeout: 30_000 });
    } catch (err) {
      if (!o.selector) throw err;
      // Whatever renders: fall back to the largest scrollable element (and say so in the report).
      container = `largest scrollable element (${ready} did not appear)`;
      options = { ...o, selector: null };
    }
    const firstRowsMs = performance.now() - t;
    await page.waitForTimeout(500); // let the first pages settle, as a user would look before scrolling
    const r = await page.evaluate<ScrollResult>(`(${SCROLL_SCRIPT})(${JSON.stringify(options)})`);
    const tasks = await page.evaluate<PageTasks>('window.__bench');
    return stats(r, tasks, firstRowsMs, container);
  } finally {
    await page.close();
  }
}

/** Renderer frame time while scrolling the thread list and a long transcript in Chromium (serve shell). */
export async function renderPhase(input: RenderInput): Promise<RenderOutput> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return { skipped: `no Chromium at ${executablePath} (set CHROMIUM_PATH)` };
  let chromium: BrowserType;
  try {
    chromium = ((await import(PLAYWRIGHT)) as { chromium: BrowserType }).chromium;
  } catch (err) {
    return { skipped: `Playwright is not installed (${(err as Error).message})` };
  }
  // The serve entry beside this bundle serves ../renderer: snapshot the built renderer there too.
  const bundleDir = dirname(process.argv[1] ?? '');
  const serveJs = join(bundleDir, 'serve.js');
  const rendererDir = join(bundleDir, '..', 'renderer');
  const builtRenderer = join(repoRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    if (!existsSync(join(builtRenderer, 'index.html')))
      throw new Error(`${builtRenderer} is missing: run "npm run build" first`);
    cpSync(builtRenderer, rendererDir, { recursive: true });
  }

  const { dataDir, threads, transcriptLines, quick, seed } = input;
  const codexHome = join(dataDir, 'codex-home');
  const stateDir = join(dataDir, 'data');
  let serve: Serve | null = null;
  let browser: Browser | null = null;
  try {
    mkdirSync(stateDir, { recursive: true });
    const fillMs = fillThreads(stateDir, threads, seed);
    writeRenderTranscript(codexHome, transcriptLines, seed);
    const t = performance.now();
    serve = await startServe(serveJs, codexHome, stateDir);
    const startMs = performance.now() - t;
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });

    const rowHeight = 54; // ThreadRow's ROW_HEIGHT; the baseline uses the same
    const scrollRows = quick ? 5_000 : 20_000;
    const fling = { rowSelector: '', stepPx: 200, flingFrames: quick ? 300 : 600, jumps: 10 };
    const listOptions: ScrollOptions = {
      ...fling,
      selector: '[data-testid="thread-list"]',
      rowSelector: '[data-testid="thread-row"]',
      targetPx: scrollRows * rowHeight,
      endBudgetMs: quick ? 8_000 : 25_000,
      settleMs: 3_000,
    };
    const baseline = await measure(
      browser,
      async (page) => {
        // Served through a route (not setContent) so the init script runs as on a real navigation.
        const html = baselineHtml(scrollRows + 1_000, rowHeight);
        await page.route(BASELINE_URL, (route) => route.fulfill({ contentType: 'text/html', body: html }));
        await page.goto(BASELINE_URL);
      },
      '#list .row',
      { ...listOptions, selector: '#list', rowSelector: '.row', flingFrames: 300 },
    );
    // The serve URL carries the token; opening it sets the session cookie for this browser.
    const list = await measure(
      browser,
      async (page) => {
        await page.goto(serve?.url ?? '');
      },
      '[data-testid="thread-list"] [data-testid="thread-row"]',
      listOptions,
    );
    let transcript: ScrollStats | { error: string };
    try {
      transcript = await measure(
        browser,
        async (page) => {
          // The token redirect keeps the fragment: straight to the Thread page.
          await page.goto(`${serve?.url ?? ''}#/thread/${RENDER_THREAD_ID}`);
        },
        '[data-testid="transcript"] [data-index]',
        {
          ...fling,
          flingFrames: quick ? 300 : 900,
          selector: '[data-testid="transcript"]',
          rowSelector: '[data-index]',
          targetPx: Number.MAX_SAFE_INTEGER,
          endBudgetMs: quick ? 5_000 : 10_000,
          settleMs: 1_500,
        },
      );
    } catch (err) {
      transcript = { error: (err as Error).message.split('\n')[0] ?? 'failed' };
    }
    return {
      skipped: null,
      threads,
      transcriptLines,
      rowHeight,
      fillMs,
      startMs,
      baseline,
      list,
      transcript,
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await serve?.stop();
    if (!input.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}
