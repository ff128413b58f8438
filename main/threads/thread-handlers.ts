import { AppError } from '../core/app-error.ts';
import type { Handlers } from '../ipc/router.ts';
import type { Db } from '../state/connection.ts';
import { createFacetQuery } from '../state/thread-facets.ts';
import { createThreadLister } from '../state/thread-list.ts';
import { createThreadRepo } from '../state/thread-repo.ts';

type ThreadHandlers = Pick<Handlers, 'threads:list' | 'threads:get' | 'threads:relatives' | 'threads:facets'>;

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
    'threads:facets': ({ archived }) => facets(archived),
  };
}
