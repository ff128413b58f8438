// Worker-thread side of rollout-fuzz.test.ts: runs every rollout reader over one file per message, so the
// test can terminate a reader that hangs (a synchronous loop cannot be interrupted by an AbortSignal) and
// measure memory after a forced GC. Runs from source through Node's type stripping.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { TranscriptOutline, TranscriptPage } from '../../preload/contract/transcript.ts';
import { buildStage1Input, readMemoryItems } from '../memories/stage1-input.ts';
import { extractRollout } from '../rollouts/extract-metadata.ts';
import { clearLineIndexCache } from '../rollouts/line-index.ts';
import { readTranscriptPage } from '../rollouts/transcript.ts';
import { findInTranscript } from '../rollouts/transcript-find.ts';
import { readTranscriptOutline } from '../rollouts/transcript-outline.ts';
import { readFileDocs } from '../search/file-docs.ts';
import { noYield } from '../core/time-slice.ts';

export interface FuzzRequest {
  id: number;
  path: string;
  /** Picks the second transcript page and the find query. */
  seed: number;
}

export interface FuzzResponse {
  id: number;
  /** `reader: error` for each reader that threw something other than an expected error. */
  failures: string[];
  /** Readers that ended with an expected error (a corrupt .zst stream). */
  expectedErrors: number;
  /** extractRollout said why the file holds no thread. */
  problem: string | null;
  /** After a forced GC. */
  rss: number;
  heapUsed: number;
  external: number;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const port = parentPort;
if (!port) throw new Error('rollout-fuzz-worker must run as a worker thread');

/** A corrupt compressed stream is reported by zlib; that is a clean failure the ingester records as a problem. */
function expected(path: string, err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return (
    path.endsWith('.zst') &&
    (/ZSTD/i.test(String(e.code ?? '')) || /zstd|unexpected end of file/i.test(String(e.message ?? '')))
  );
}

async function run(req: FuzzRequest): Promise<FuzzResponse> {
  const failures: string[] = [];
  let expectedErrors = 0;
  let problem: string | null = null;
  const attempt = async (reader: string, fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      if (expected(req.path, err)) expectedErrors++;
      else failures.push(`${reader}: ${(err as Error)?.stack ?? String(err)}`);
    }
  };
  const opts = { archived: false, defaultProvider: 'openai' };
  await attempt('extractRollout', async () => {
    const first = await extractRollout(req.path, opts);
    problem = first.problem;
    if (first.meta === null && first.problem === null) throw new Error('neither a thread nor a problem');
    // The fold state is stored as JSON between runs: a resume from it must work too.
    const state = JSON.parse(JSON.stringify(first.state)) as typeof first.state;
    await extractRollout(req.path, { ...opts, resume: { offset: first.offset, state } });
  });
  await attempt('readTranscriptPage', async () => {
    const first = TranscriptPage.parse({
      ...(await readTranscriptPage(req.path, 0, 100, noYield)),
      turn: null,
    });
    const offset = first.total > 0 ? req.seed % first.total : 0;
    TranscriptPage.parse({ ...(await readTranscriptPage(req.path, offset, 37, noYield)), turn: null });
  });
  await attempt('readTranscriptOutline', async () => {
    TranscriptOutline.parse(await readTranscriptOutline(req.path, noYield));
  });
  await attempt('findInTranscript', () =>
    findInTranscript(req.path, req.seed % 2 ? 'a' : '"\\', 50, noYield),
  );
  await attempt('readFileDocs', () =>
    readFileDocs({ path: req.path, fromOffset: 0, linesDone: 0, calls: [] }),
  );
  await attempt('readMemoryItems', () => readMemoryItems(req.path));
  await attempt('buildStage1Input', () => buildStage1Input({ rolloutPath: req.path, cwd: '/x' }));
  clearLineIndexCache();
  gc();
  const mem = process.memoryUsage();
  return {
    id: req.id,
    failures,
    expectedErrors,
    problem,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    external: mem.external,
  };
}

port.on('message', (req: FuzzRequest) => {
  void run(req).then((res) => port.postMessage(res));
});
