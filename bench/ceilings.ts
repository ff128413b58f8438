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

/**
 * The content-index ceiling (perf.md "split + decode + full JSON.parse"): sequential 1 MiB reads, lines split
 * with `Buffer.indexOf`, each decoded as UTF-8 and parsed whole; a line spanning reads is carried over.
 */
export function splitParse(paths: readonly string[]): ScanResult {
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  let lines = 0;
  const parse = (b: Buffer, s: number, e: number): void => {
    if (e <= s) return;
    lines++;
    try {
      JSON.parse(b.toString('utf8', s, e));
    } catch {
      // Corrupt lines cost the same attempt as anywhere else.
    }
  };
  for (const path of paths) {
    const fd = openSync(path, 'r');
    let carry: Buffer | null = null;
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        bytes += n;
        let from = 0;
        for (let nl = buf.indexOf(10); nl !== -1 && nl < n; nl = buf.indexOf(10, from)) {
          if (carry) {
            const line: Buffer = Buffer.concat([carry, buf.subarray(0, nl)]);
            carry = null;
            parse(line, 0, line.length);
          } else parse(buf, from, nl);
          from = nl + 1;
        }
        if (from < n)
          carry = carry ? Buffer.concat([carry, buf.subarray(from, n)]) : Buffer.from(buf.subarray(from, n));
      }
      if (carry) parse(carry, 0, carry.length);
    } finally {
      closeSync(fd);
    }
  }
  return { bytes, lines };
}
