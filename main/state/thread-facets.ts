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
  sourceKinds: FacetValue[];
  branches: FacetValue[];
}

/**
 * A thread's source kind: the bare encoding (`cli`, `exec`, …) or `subagent` for every `{"subagent":…}`
 * JSON encoding. Each spawned sub-agent's JSON names its parent, so exact values would be one per thread.
 */
export const SOURCE_KIND_SQL = `(CASE WHEN substr(source, 1, 12) = '{"subagent":' THEN 'subagent' ELSE source END)`;

/**
 * Distinct values (with counts) over the threads the list would show, for the filter menus. Each is one
 * pass over the archived partition (~20 ms per facet at 100k threads), so the renderer asks only while a
 * filter menu is open; a per-facet index would not help while `first_user_message` needs the row.
 */
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
  const kinds = q(SOURCE_KIND_SQL, 200);
  const branches = q('git_branch', 500);
  return (archived: boolean): Facets => {
    const a = archived ? 1 : 0;
    return {
      sources: sources.all(a) as FacetValue[],
      modelProviders: providers.all(a) as FacetValue[],
      models: models.all(a) as FacetValue[],
      cwds: cwds.all(a) as FacetValue[],
      sourceKinds: kinds.all(a) as FacetValue[],
      branches: branches.all(a) as FacetValue[],
    };
  };
}
