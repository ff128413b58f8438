import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Thread } from '../../preload/contract/index.ts';
import { AppError } from '../core/app-error.ts';
import type { IngestApi } from '../ingest/ingest-api.ts';
import type { EventBus } from '../ipc/event-bus.ts';
import type { Handlers } from '../ipc/router.ts';
import type { Db } from '../state/connection.ts';
import { createThreadRepo } from '../state/thread-repo.ts';
import { createThreadArchiver } from './thread-archive.ts';
import { exportThreadMarkdown } from './thread-export.ts';
import { createThreadMetadataUpdater } from './thread-metadata.ts';

/** Native dialogs, injected by the Electron shell; serve, CLI and tests have none. */
export interface AppDialogs {
  /** Asks where to save; resolves with the chosen absolute path, or null when cancelled. */
  saveFile(opts: { title: string; defaultName: string; extensions: string[] }): Promise<string | null>;
}

export interface ThreadActionDeps {
  db: Db;
  codexHome: string;
  ingest: IngestApi;
  bus: EventBus;
  dialogs?: AppDialogs | null;
}

type ThreadActionHandlers = Pick<
  Handlers,
  | 'threads:archive'
  | 'threads:unarchive'
  | 'threads:updateMetadata'
  | 'threads:exportMarkdown'
  | 'threads:saveExport'
>;

/** Writes next to the target and renames over it, so a failed save never leaves half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new AppError('IO_ERROR', `Cannot save ${path}: ${(err as Error).message}`, [path]);
  }
}

export function createThreadActionHandlers(deps: ThreadActionDeps): ThreadActionHandlers {
  const repo = createThreadRepo(deps.db);
  const getThread = (id: string): Thread | null => repo.get(id);
  const onChanged = (ids: string[]): void => deps.bus.emit('threads:changed', { ids, all: false });
  const archiver = createThreadArchiver({
    codexHome: deps.codexHome,
    ingest: deps.ingest,
    getThread,
    onChanged,
  });
  const metadata = createThreadMetadataUpdater({
    codexHome: deps.codexHome,
    ingest: deps.ingest,
    getThread,
    onChanged,
  });

  async function exportOf(id: string) {
    const t = getThread(id);
    if (!t) throw new AppError('NOT_FOUND', `No thread ${id} in the state DB`);
    try {
      return await exportThreadMarkdown(t);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ENOENT')
        throw new AppError('NOT_FOUND', `The rollout file of thread ${id} is gone: ${t.rolloutPath}`, [
          t.rolloutPath,
        ]);
      if (code === 'EACCES' || code === 'EPERM')
        throw new AppError('IO_ERROR', `Cannot read ${t.rolloutPath}: permission denied`, [t.rolloutPath]);
      throw err;
    }
  }

  return {
    'threads:archive': ({ id }) => archiver.archive(id),
    'threads:unarchive': ({ id }) => archiver.unarchive(id),
    'threads:updateMetadata': ({ id, gitSha, gitBranch, gitOriginUrl }) =>
      metadata.update({
        id,
        ...(gitSha !== undefined ? { gitSha } : {}),
        ...(gitBranch !== undefined ? { gitBranch } : {}),
        ...(gitOriginUrl !== undefined ? { gitOriginUrl } : {}),
      }),
    'threads:exportMarkdown': ({ id }) => exportOf(id),
    'threads:saveExport': async ({ id }) => {
      const dialogs = deps.dialogs;
      if (!dialogs) {
        throw new AppError(
          'UNAVAILABLE',
          'Saving through a dialog needs the desktop app; use the download instead',
        );
      }
      const { fileName, markdown } = await exportOf(id);
      const path = await dialogs.saveFile({
        title: 'Export thread as Markdown',
        defaultName: fileName,
        extensions: ['md'],
      });
      if (!path) return { path: null };
      await writeAtomically(path, markdown);
      return { path };
    },
  };
}
