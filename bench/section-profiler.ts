import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Set by the parent for `--cpu-prof`: children profile only their measured section, not the warm-up reads. */
export const PROFILE_DIR_ENV = 'THREADSCOPE_BENCH_PROFILE_DIR';

/** Runs `f` under the V8 sampling profiler when profiling is on, writing `<name>.cpuprofile`. */
export async function profiled<T>(name: string, f: () => Promise<T>): Promise<T> {
  const dir = process.env[PROFILE_DIR_ENV];
  if (!dir) return f();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
