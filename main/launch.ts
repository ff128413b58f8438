// Runs a built main entry (serve, cli, bench) with plain Node 24, rebuilding first when any source is
// newer than the bundle. Build output goes to stderr so `cli threads --json` stays pure JSON.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entries: Record<string, string> = { serve: 'serve.js', cli: 'cli.js', bench: 'bench.js' };
const [which = '', ...args] = process.argv.slice(2);
const entry = entries[which];
if (!entry) {
  process.stderr.write(`usage: node main/launch.ts <${Object.keys(entries).join('|')}> [args]\n`);
  process.exit(2);
}

function newest(dir: string): number {
  let max = 0;
  if (!existsSync(dir)) return max;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.name === 'node_modules' || d.name.startsWith('.')) continue;
    const p = join(dir, d.name);
    max = Math.max(max, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

const bundle = join(root, 'out', 'main', entry);
const sources = ['main', 'preload', 'renderer', 'migrations', 'bench'].map((d) => newest(join(root, d)));
const stale =
  !existsSync(bundle) ||
  Math.max(
    ...sources,
    statSync(join(root, 'package.json')).mtimeMs,
    statSync(join(root, 'electron.vite.config.ts')).mtimeMs,
  ) > statSync(bundle).mtimeMs;
if (stale) {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', 2, 2],
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const child = spawn(process.execPath, [bundle, ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => child.kill(sig));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
