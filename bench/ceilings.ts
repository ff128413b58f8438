import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface WalkResult {
  files: string[];
  bytes: number;
}

/**
 * The re-scan ceiling: a bare recursive walk that stats every file, nothing else (no name parsing, no DB).
 * Also how the benchmark lists the corpus for the read ceiling.
 */
export function statWalk(root: string): WalkResult {
  const files: string[] = [];
  let bytes = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) {
        stack.push(p);
      } else {
        bytes += statSync(p).size;
        files.push(p);
      }
    }
  }
  return { files, bytes };
}

export interface ScanResult {
  bytes: number;
  lines: number;
}

/**
 * The backfill ceiling: sequential `readSync` into one reused 1 MiB buffer plus a newline scan with
 * `Buffer.indexOf`, i.e. the least work any JSONL reader must do (perf.md "Reading and parsing JSONL").
 */
export function readScan(paths: readonly string[], scan = true): ScanResult {
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  let lines = 0;
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        bytes += n;
        if (!scan) continue;
        for (let at = buf.indexOf(10); at !== -1 && at < n; at = buf.indexOf(10, at + 1)) lines++;
      }
    } finally {
      closeSync(fd);
    }
  }
  return { bytes, lines };
}
