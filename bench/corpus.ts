import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  rolloutFileName,
  SYNTHETIC_VERSION,
  writeLargeRollout,
  writeSyntheticCodexHome,
} from '../main/test-support/synthetic-rollouts.ts';

/** The repository root: the bundle lives in out/main/, the sources in bench/; both are two levels down. */
export function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = resolve(here, '..', '..');
  return existsSync(join(up, 'package.json')) ? up : process.cwd();
}

export interface CorpusInfo {
  codexHome: string;
  files: number;
  bytes: number;
  /** Generation time in this run, or null when the cached copy was used. */
  generatedMs: number | null;
}

interface Manifest {
  files: number;
  bytes: number;
}

/**
 * Generating 2 GB takes a while, so corpora are cached under .bench/ in a folder named after every
 * parameter that shapes them; the manifest is written last, so an interrupted generation is redone.
 */
function cached(dir: string, make: (home: string) => Manifest): CorpusInfo {
  const manifestPath = join(dir, 'manifest.json');
  const home = join(dir, 'home');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    return { codexHome: home, ...m, generatedMs: null };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const m = make(home);
  const generatedMs = performance.now() - started;
  writeFileSync(manifestPath, JSON.stringify(m));
  return { codexHome: home, ...m, generatedMs };
}

export function ensureCorpus(benchDir: string, threads: number, bytes: number, seed: number): CorpusInfo {
  const dir = join(benchDir, `home-v${SYNTHETIC_VERSION}-t${threads}-b${bytes}-s${seed}`);
  return cached(dir, (home) => {
    const h = writeSyntheticCodexHome(home, { threads, targetBytes: bytes, seed });
    return { files: h.threads.length, bytes: h.totalBytes };
  });
}

export const LARGE_ID = '019e8000-0000-7000-8000-00000000b16f';
const LARGE_CREATED = Date.UTC(2026, 5, 1, 9);

/** A CODEX_HOME holding one big rollout, for the transcript benchmark. */
export function ensureLargeRollout(
  benchDir: string,
  bytes: number,
  seed: number,
): CorpusInfo & { path: string } {
  const dir = join(benchDir, `large-v${SYNTHETIC_VERSION}-b${bytes}-s${seed}`);
  const path = join(dir, 'home', 'sessions', '2026', '06', '01', rolloutFileName(LARGE_CREATED, LARGE_ID));
  const info = cached(dir, () => {
    const t = writeLargeRollout(path, bytes, seed);
    return { files: 1, bytes: t.bytes };
  });
  return { ...info, path };
}
