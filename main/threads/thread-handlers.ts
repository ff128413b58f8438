import { AppError } from '../core/app-error.ts';
import type { Handlers } from '../ipc/router.ts';
import { readTranscriptPage } from '../rollouts/transcript.ts';
import type { Db } from '../state/connection.ts';
import { createFacetQuery } from '../state/thread-facets.ts';
import { createThreadLister } from '../state/thread-list.ts';
import { createThreadRepo } from '../state/thread-repo.ts';

type ThreadHandlers = Pick<
  Handlers,
  'threads:list' | 'threads:get' | 'threads:relatives' | 'threads:transcriptPage' | 'threads:facets'
>;

export function createThreadHandlers(db: Db): ThreadHandlers {
  const repo = createThreadRepo(db);
  const list = createThreadLister(db);
  const facets = createFacetQuery(db);
  const mustGet = (id: string) => {
    const t = repo.get(id);
    if (!t) throw new AppError('NOT_FOUND', `No thread ${id} in the state DB (was its rollout deleted?)`);
    return t;
  };

  return {
    'threads:list': (input) => list(input),
    'threads:get': ({ id }) => mustGet(id),
    'threads:relatives': ({ id }) => {
      const t = mustGet(id);
      const parentId = t.parentThreadId ?? t.forkedFromId;
      return { parent: parentId ? repo.get(parentId) : null, children: repo.children(id) };
    },
    'threads:transcriptPage': async ({ id, offset, limit }) => {
      const t = mustGet(id);
      try {
        return await readTranscriptPage(t.rolloutPath, offset, limit);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ENOENT') {
          throw new AppError('NOT_FOUND', `The rollout file of thread ${id} is gone: ${t.rolloutPath}`, [
            t.rolloutPath,
          ]);
        }
        if (code === 'EACCES' || code === 'EPERM') {
          throw new AppError('IO_ERROR', `Cannot read ${t.rolloutPath}: permission denied`, [t.rolloutPath]);
        }
        throw err;
      }
    },
    'threads:facets': ({ archived }) => facets(archived),
  };
}
