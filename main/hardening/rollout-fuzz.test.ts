import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveRealFixtures, NO_FIXTURES_MESSAGE, realFixturesDir } from '../test-support/fixture-home.ts';
import { makeTempDir } from '../test-support/temp-dir.ts';
import { hugeLineCase, int, mutate, rng, specialCases, wrongTypeCases, type FuzzCase } from './fuzz-cases.ts';
import type { FuzzRequest, FuzzResponse } from './rollout-fuzz-worker.ts';

/**
 * Seeded fuzz of every rollout reader (metadata extraction, transcript page / outline / find, search
 * documents, memory items) over hostile files. Each case runs on a worker thread with a generous deadline,
 * so a reader stuck in a loop fails the case instead of hanging the suite; nothing asserts on speed.
 * FUZZ_CASES (default 100) sets how many mutated fixture copies run; FUZZ_SEED changes the seed.
 */
const MUTATED_CASES = Number(process.env.FUZZ_CASES ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? 0x7e5eed);
/** Far beyond what any case needs (the 50 MB line takes about a second): only a hang reaches it. */
const CASE_DEADLINE_MS = 60_000;
const HUGE_LINE_BYTES = 50 * 1024 * 1024;
/**
 * RSS may grow by a few copies of the largest line (file read buffer doubled past it, its UTF-8 string,
 * the parsed value, the index document) but must not keep growing with the number of cases. 8 copies of the
 * 50 MB line plus 128 MB for allocator slack is the bound; a leak of even 1 MB per case would cross it.
 */
const RSS_GROWTH_LIMIT = 8 * HUGE_LINE_BYTES + 128 * 1024 * 1024;
/** Mutation sources: fixtures up to this size keep a case in milliseconds (the big ones add nothing new). */
const MAX_SOURCE_BYTES = 500_000;

const tmp = makeTempDir('threadscope-fuzz-');
let worker: Worker | null = null;
let next = 0;
const totals = { cases: 0, problems: 0, expectedErrors: 0, maxRss: 0, baseRss: 0 };

function startWorker(): Worker {
  worker = new Worker(new URL('./rollout-fuzz-worker.ts', import.meta.url));
  worker.unref();
  return worker;
}

/** Runs every reader over one file in the worker; a case past the deadline is a hang (the worker is replaced). */
async function runCase(c: FuzzCase, compressed = false): Promise<FuzzResponse> {
  const id = next++;
  const uuid = `019c2a00-1111-7222-8333-${id.toString(16).padStart(12, '0')}`;
  const path = join(tmp.dir, `rollout-2026-02-03T11-15-02-${uuid}.jsonl${compressed ? '.zst' : ''}`);
  writeFileSync(path, c.data);
  const w = worker ?? startWorker();
  try {
    return await new Promise<FuzzResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        void w.terminate();
        worker = null;
        reject(new Error(`${c.name}: no answer within ${CASE_DEADLINE_MS} ms (a reader hangs)`));
      }, CASE_DEADLINE_MS);
      const onMessage = (res: FuzzResponse): void => {
        if (res.id !== id) return;
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        resolve(res);
      };
      const onError = (err: Error): void => {
        clearTimeout(timer);
        worker = null;
        reject(new Error(`${c.name}: the worker crashed: ${err.stack ?? err.message}`));
      };
      w.on('message', onMessage);
      w.once('error', onError);
      w.postMessage({ id, path, seed: id * 7919 } satisfies FuzzRequest);
    });
  } finally {
    rmSync(path, { force: true });
  }
}

/** Runs the cases, collecting every failure (with the case's name) rather than stopping at the first. */
async function runAll(cases: Iterable<FuzzCase>, compressed = false): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    const res = await runCase(c, compressed).catch(
      (err: Error) => ({ failures: [err.message] }) as FuzzResponse,
    );
    totals.cases++;
    if (res.problem) totals.problems++;
    totals.expectedErrors += res.expectedErrors ?? 0;
    if (res.rss) totals.maxRss = Math.max(totals.maxRss, res.rss);
    for (const f of res.failures) failures.push(`[${c.name}] ${f}`);
  }
  return failures;
}

const sources = haveRealFixtures
  ? readdirSync(realFixturesDir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort()
      .map((n) => join(realFixturesDir, n))
      .filter((p) => statSync(p).size <= MAX_SOURCE_BYTES)
  : [];

function* mutatedCases(count: number, seed: number, files: Buffer[]): Generator<FuzzCase> {
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const k = int(r, files.length);
    let data = files[k]!;
    const steps: string[] = [];
    // Mostly one mutation, sometimes a few stacked.
    for (let n = 1 + (r() < 0.25 ? int(r, 3) : 0); n > 0; n--) {
      const m = mutate(data, r);
      data = m.data;
      steps.push(m.how);
    }
    yield { name: `seed ${seed} case ${i}: source ${k}, ${steps.join(', ')}`, data };
  }
}

beforeAll(async () => {
  // Warm-up on a normal file: the baseline RSS includes the loaded modules and the read buffers.
  const warm = await runCase({ name: 'warm-up', data: Buffer.from(wrongTypeCases()[0]!.data) });
  totals.baseRss = warm.rss;
});

afterAll(async () => {
  await worker?.terminate();
  tmp.cleanup();
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `rollout fuzz: ${totals.cases} cases (seed ${SEED}), ${totals.problems} reported as problem files, ` +
      `${totals.expectedErrors} clean zstd errors; RSS after GC ${mb(totals.baseRss)} -> max ${mb(totals.maxRss)}`,
  );
});

describe('rollout readers under hostile input', () => {
  it('synthetic files: empty, blank, NUL, CRLF, deep nesting, wrong types in every known field', async () => {
    const cases = [...specialCases(), ...wrongTypeCases()];
    expect(cases.length).toBeGreaterThan(150);
    expect(await runAll(cases)).toEqual([]);
  });

  it('a 50 MB line is read without a crash and memory stays bounded', async () => {
    expect(await runAll([hugeLineCase(HUGE_LINE_BYTES)])).toEqual([]);
    expect(totals.maxRss - totals.baseRss).toBeLessThan(RSS_GROWTH_LIMIT);
  });

  it.skipIf(!haveRealFixtures)(
    `mutated copies of the real fixtures${haveRealFixtures ? '' : ` (${NO_FIXTURES_MESSAGE})`}`,
    async () => {
      expect(sources.length).toBeGreaterThan(5);
      const files = sources.map((p) => readFileSync(p));
      expect(await runAll(mutatedCases(MUTATED_CASES, SEED, files))).toEqual([]);
      // Compressed rollouts: a corrupt stream may end in a clean zstd error, never anything else.
      const zst = files.slice(0, 4).map((f) => zstdCompressSync(f));
      expect(await runAll(mutatedCases(Math.ceil(MUTATED_CASES / 8), SEED + 1, zst), true)).toEqual([]);
      expect(totals.maxRss - totals.baseRss).toBeLessThan(RSS_GROWTH_LIMIT);
    },
    // Only a hang could take this long (local runs with a large FUZZ_CASES get more time).
    Math.max(120_000, MUTATED_CASES * 200),
  );
});
