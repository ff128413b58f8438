import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ElectronBinary {
  /** Absolute path of the Electron executable, or null when none is installed. */
  path: string | null;
  /** Why `path` is null (for skip messages), or where it came from. */
  reason: string;
}

const DEFAULT_EXECUTABLE: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'electron',
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

/**
 * Finds the Electron binary the way the `electron` package would, but without `require('electron')`:
 * that call tries to download the binary on the spot (electron 45 has no postinstall), which fails
 * offline. We read `path.txt` and look in `dist/` or in `$ELECTRON_OVERRIDE_DIST_PATH`.
 */
export function electronBinary(): ElectronBinary {
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  const relative = existsSync(pathTxt)
    ? readFileSync(pathTxt, 'utf8').trim()
    : DEFAULT_EXECUTABLE[process.platform];
  if (!relative) return { path: null, reason: `no known Electron executable name for ${process.platform}` };

  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, relative);
    return existsSync(candidate)
      ? { path: candidate, reason: `ELECTRON_OVERRIDE_DIST_PATH (${candidate})` }
      : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${candidate} does not exist` };
  }
  const candidate = join(pkgDir, 'dist', relative);
  if (existsSync(candidate)) return { path: candidate, reason: candidate };
  return {
    path: null,
    reason:
      'Electron binary not installed (node_modules/electron/dist is missing; it cannot be downloaded here). ' +
      'Set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron build to run this project.',
  };
}
