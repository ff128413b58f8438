import { createAppCore } from '../main/app/app-core.ts';
import { readScan } from './ceilings.ts';
import { profiled } from './section-profiler.ts';

export interface TranscriptInput {
  codexHome: string;
  dataDir: string;
  path: string;
  id: string;
}

export interface TranscriptIngestOutput {
  ingestMs: number;
  threadsUpserted: number;
}

/** Puts the big rollout's thread into the data dir; run in its own process so nothing it caches helps the next phase. */
export async function transcriptIngestPhase({
  codexHome,
  dataDir,
}: TranscriptInput): Promise<TranscriptIngestOutput> {
  const core = await createAppCore({ codexHome, dataDir, shell: 'test', watch: false });
  const t = performance.now();
  const s = await core.start();
  const ingestMs = performance.now() - t;
  await core.close();
  return { ingestMs, threadsUpserted: s.threadsUpserted };
}

export interface TranscriptOutput {
  fileBytes: number;
  readScanMs: number;
  firstPageMs: number;
  firstPageItems: number;
  total: number;
  secondCallMs: number;
  lastPageMs: number;
}

/** First transcript page in a fresh process (no line index cached yet), page cache warm. */
export async function transcriptPhase({
  codexHome,
  dataDir,
  path,
  id,
}: TranscriptInput): Promise<TranscriptOutput> {
  readScan([path]); // warm the page cache, as the other phases do
  const t0 = performance.now();
  const scan = readScan([path]);
  const readScanMs = performance.now() - t0;
  const core = await createAppCore({ codexHome, dataDir, shell: 'test', watch: false });
  const page = core.handlers['transcript:page'];
  const ctx = { transport: 'test' as const };
  const t1 = performance.now();
  const first = await profiled('transcript-first-page', async () => page({ id, offset: 0, limit: 100 }, ctx));
  const firstPageMs = performance.now() - t1;
  const t2 = performance.now();
  await page({ id, offset: 0, limit: 100 }, ctx);
  const secondCallMs = performance.now() - t2;
  const t3 = performance.now();
  await page({ id, offset: Math.max(0, first.total - 100), limit: 100 }, ctx);
  const lastPageMs = performance.now() - t3;
  await core.close();
  return {
    fileBytes: scan.bytes,
    readScanMs,
    firstPageMs,
    firstPageItems: first.items.length,
    total: first.total,
    secondCallMs,
    lastPageMs,
  };
}
