import type { Channel, Input, Output } from '../../preload/contract/index.ts';
import { createAppCore, type AppCore, type AppCoreOptions } from '../app/app-core.ts';
import type { WorkerScripts } from '../app/worker-url.ts';
import { AppError } from '../core/app-error.ts';

/**
 * Opens the app core the way every CLI command does (shell `cli`: no watcher, no data-dir lock, WARN
 * lines only in the logs DB), runs `use` and closes the core whatever happens.
 */
export async function withCliCore<T>(
  where: { codexHome: string; dataDir: string },
  workers: WorkerScripts | null,
  use: (core: AppCore) => Promise<T>,
  extra: Pick<AppCoreOptions, 'feedback'> = {},
): Promise<T> {
  const core = await createAppCore({
    codexHome: where.codexHome,
    dataDir: where.dataDir,
    shell: 'cli',
    watch: false,
    workers,
    ...extra,
  });
  try {
    return await use(core);
  } finally {
    await core.close();
  }
}

/** Through the router, like the desktop and serve shells: the contract validates every input. */
export async function call<C extends Channel>(
  core: AppCore,
  channel: C,
  input: Input<C>,
): Promise<Output<C>> {
  const env = await core.router.dispatch(channel, input, { transport: 'test' });
  if (!env.ok) throw new AppError(env.error.code, env.error.message);
  return env.value as Output<C>;
}
