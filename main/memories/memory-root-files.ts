import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { MemoryFileEntry } from '../../preload/contract/memories.ts';
import { AppError } from '../core/app-error.ts';

const MAX_ENTRIES = 5_000;
export const MAX_READ_BYTES = 2 * 1024 * 1024;

/** The memory root as a flat, sorted list (symlinks are not followed; at most 5,000 entries). */
export function listMemoryRoot(root: string): MemoryFileEntry[] {
  const out: MemoryFileEntry[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (out.length >= MAX_ENTRIES) return;
      const abs = join(dir, name);
      let st;
      try {
        st = lstatSync(abs);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) continue;
      const path = relative(root, abs).split(sep).join('/');
      if (st.isDirectory()) {
        out.push({ path, kind: 'dir', bytes: 0, modifiedAt: st.mtimeMs });
        walk(abs);
      } else if (st.isFile()) out.push({ path, kind: 'file', bytes: st.size, modifiedAt: st.mtimeMs });
    }
  };
  walk(root);
  return out;
}

/** A text file inside the root; refuses anything that resolves outside it (`..`, symlinks). */
export function readMemoryFile(
  root: string,
  rel: string,
): { path: string; text: string; bytes: number; modifiedAt: number } {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(join(root, rel));
  } catch {
    throw new AppError('NOT_FOUND', `No file ${rel} in the memory root`);
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep))
    throw new AppError('FORBIDDEN', `${rel} is outside the memory root`);
  const st = statSync(real);
  if (!st.isFile()) throw new AppError('INVALID_INPUT', `${rel} is not a file`);
  if (st.size > MAX_READ_BYTES)
    throw new AppError(
      'INVALID_INPUT',
      `${rel} is ${st.size} bytes, more than the ${MAX_READ_BYTES} bytes shown here`,
    );
  return { path: rel, text: readFileSync(real, 'utf8'), bytes: st.size, modifiedAt: st.mtimeMs };
}
