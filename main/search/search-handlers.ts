import type { Handlers } from '../ipc/router.ts';
import { parseSearchQuery, queryNotice } from './search-query.ts';
import { createSearchRepo } from './search-repo.ts';
import type { SearchService } from './search-service.ts';

type SearchHandlers = Pick<Handlers, 'search:query' | 'search:status'>;

const cursorOf = (nextFile: number | null): string | null => (nextFile === null ? null : `f${nextFile}`);
const fileOf = (cursor: string | null | undefined): number | null => {
  const m = cursor ? /^f(\d{1,16})$/.exec(cursor) : null;
  return m ? Number(m[1]) : null;
};

export function createSearchHandlers(search: SearchService): SearchHandlers {
  const repo = createSearchRepo(search.db);
  return {
    'search:query': async ({ query, limit, cursor, prefixLast }) => {
      const parsed = parseSearchQuery(query, { prefixLast });
      const page = await repo.run(parsed, { limit, beforeFile: fileOf(cursor) });
      return {
        threads: page.threads,
        nextCursor: cursorOf(page.nextFile),
        coverage: search.progress(),
        notice: queryNotice(parsed),
      };
    },
    'search:status': () => search.progress(),
  };
}
