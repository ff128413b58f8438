import { AppError } from '../core/app-error.ts';

export interface Anchor {
  /** Sort-column value, epoch seconds. */
  ts: number;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const FILE_FORM = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})$/;

/** Seed §2.6: `<RFC 3339 timestamp>|<uuid>`, whole seconds. */
export function encodeCursor(a: Anchor): string {
  return `${new Date(a.ts * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}|${a.id}`;
}

/** Parses RFC 3339 or the file-name form `YYYY-MM-DDThh-mm-ss` (UTC); anything else is an invalid cursor. */
export function decodeCursor(cursor: string): Anchor {
  const parts = cursor.split('|');
  const invalid = (why: string): AppError =>
    new AppError('INVALID_INPUT', `invalid cursor: ${why}`, ['cursor']);
  if (isProjectCursor(cursor)) {
    throw invalid('this cursor is from a list grouped by project; start again without a cursor');
  }
  if (parts.length !== 2) throw invalid(`expected "<timestamp>|<uuid>", got ${JSON.stringify(cursor)}`);
  const [stamp = '', id = ''] = parts;
  if (!UUID.test(id)) throw invalid(`bad thread id ${JSON.stringify(id)}`);
  let ms: number;
  const file = FILE_FORM.exec(stamp);
  if (file) {
    const [, y, mo, d, h, mi, s] = file.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    ms = Date.UTC(y, mo - 1, d, h, mi, s);
  } else if (RFC3339.test(stamp)) {
    ms = Date.parse(stamp);
  } else {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms)) throw invalid(`bad timestamp ${JSON.stringify(stamp)}`);
  return { ts: Math.floor(ms / 1000), id: id.toLowerCase() };
}

/** A keyset anchor in the project-grouped order (cwd ASC, sort column DESC, id DESC). */
export interface ProjectAnchor extends Anchor {
  cwd: string;
}

/** Version tag of the project-grouped cursor; the plain cursor never starts with it (it starts with a year). */
const PROJECT_TAG = 'p1';

/** `p1|<base64url cwd>|<RFC 3339>|<uuid>`: the cwd is encoded because a path may contain `|`. */
export function encodeProjectCursor(a: ProjectAnchor): string {
  return `${PROJECT_TAG}|${Buffer.from(a.cwd, 'utf8').toString('base64url')}|${encodeCursor(a)}`;
}

/** True for a cursor made by encodeProjectCursor (well-formed or not). */
export function isProjectCursor(cursor: string): boolean {
  return cursor.startsWith(`${PROJECT_TAG}|`);
}

export function decodeProjectCursor(cursor: string): ProjectAnchor {
  if (!isProjectCursor(cursor)) {
    throw new AppError(
      'INVALID_INPUT',
      'invalid cursor: this cursor is from a list not grouped by project; start again without a cursor',
      ['cursor'],
    );
  }
  const rest = cursor.slice(PROJECT_TAG.length + 1);
  const bar = rest.indexOf('|');
  const cwdPart = bar < 0 ? '' : rest.slice(0, bar);
  if (bar < 0 || !/^[A-Za-z0-9_-]*$/.test(cwdPart)) {
    throw new AppError('INVALID_INPUT', `invalid cursor: bad project part in ${JSON.stringify(cursor)}`, [
      'cursor',
    ]);
  }
  return { ...decodeCursor(rest.slice(bar + 1)), cwd: Buffer.from(cwdPart, 'base64url').toString('utf8') };
}
