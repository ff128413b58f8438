/** SQL migrations bundled at build time (vite `?raw` glob), so no .sql file ships beside the app. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

function collect(files: Record<string, string>): Migration[] {
  return Object.entries(files)
    .map(([path, sql]) => {
      const file = path.split('/').pop() ?? path;
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`Bad migration file name: ${file} (expected NNNN_slug.sql)`);
      return { version: Number(match[1]), name: match[2] ?? '', sql };
    })
    .sort((a, b) => a.version - b.version);
}

export const stateMigrations: readonly Migration[] = collect(
  import.meta.glob<string>('./state/*.sql', { query: '?raw', import: 'default', eager: true }),
);

export const searchMigrations: readonly Migration[] = collect(
  import.meta.glob<string>('./search/*.sql', { query: '?raw', import: 'default', eager: true }),
);

export const logsMigrations: readonly Migration[] = collect(
  import.meta.glob<string>('./logs/*.sql', { query: '?raw', import: 'default', eager: true }),
);
