import { AppError } from '../core/app-error.ts';
import type { Handlers } from '../ipc/router.ts';
import { readTranscriptPage } from '../rollouts/transcript.ts';
import { findInTranscript } from '../rollouts/transcript-find.ts';
import { cachedOutline, readTranscriptOutline, turnAt } from '../rollouts/transcript-outline.ts';
import type { Db } from '../state/connection.ts';
import { createThreadRepo } from '../state/thread-repo.ts';

type TranscriptHandlers = Pick<Handlers, 'transcript:page' | 'transcript:outline' | 'transcript:find'>;

/** Maps file-system failures on a rollout to the contract's errors (the thread row may outlive its file). */
function readError(err: unknown, id: string, path: string): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') {
    return new AppError('NOT_FOUND', `The rollout file of thread ${id} is gone: ${path}`, [path]);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('IO_ERROR', `Cannot read ${path}: permission denied`, [path]);
  }
  return err;
}

export function createTranscriptHandlers(db: Db): TranscriptHandlers {
  const repo = createThreadRepo(db);
  const rolloutOf = (id: string): string => {
    const t = repo.get(id);
    if (!t) throw new AppError('NOT_FOUND', `No thread ${id} in the state DB (was its rollout deleted?)`);
    return t.rolloutPath;
  };
  const guarded = async <T>(id: string, read: (path: string) => Promise<T>): Promise<T> => {
    const path = rolloutOf(id);
    try {
      return await read(path);
    } catch (err) {
      throw readError(err, id, path);
    }
  };

  return {
    'transcript:page': ({ id, offset, limit }) =>
      guarded(id, async (path) => {
        const page = await readTranscriptPage(path, offset, limit);
        const outline = cachedOutline(path);
        return { ...page, turn: outline ? turnAt(outline, page.offset) : null };
      }),
    'transcript:outline': ({ id }) => guarded(id, (path) => readTranscriptOutline(path)),
    'transcript:find': ({ id, query, limit }) => guarded(id, (path) => findInTranscript(path, query, limit)),
  };
}
