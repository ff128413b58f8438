import type { Db } from './connection.ts';

export interface FacetValue {
  value: string;
  count: number;
}

export interface Facets {
  sources: FacetValue[];
  modelProviders: FacetValue[];
  models: FacetValue[];
  cwds: FacetValue[];
}

/** Distinct values (with counts) over the threads the list would show, for the filter menus. */
export function createFacetQuery(db: Db) {
  const q = (column: string, limit: number) =>
    db.prepare(
      `SELECT ${column} AS value, COUNT(*) AS count FROM threads
       WHERE archived = ? AND first_user_message <> '' AND ${column} IS NOT NULL
       GROUP BY ${column} ORDER BY count DESC, value LIMIT ${limit}`,
    );
  const sources = q('source', 200);
  const providers = q('model_provider', 200);
  const models = q('model', 200);
  const cwds = q('cwd', 500);
  return (archived: boolean): Facets => {
    const a = archived ? 1 : 0;
    return {
      sources: sources.all(a) as FacetValue[],
      modelProviders: providers.all(a) as FacetValue[],
      models: models.all(a) as FacetValue[],
      cwds: cwds.all(a) as FacetValue[],
    };
  };
}
