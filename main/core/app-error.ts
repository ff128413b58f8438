import type { ApiErrorShape, ErrorCode } from '../../preload/contract/index.ts';

/** An error whose code and message are meant for the user; anything else becomes INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: string[] | undefined;

  constructor(code: ErrorCode, message: string, details?: string[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

/** Map any thrown value to the wire shape, translating the SQLite and fs errors users can act on. */
export function toApiError(err: unknown): ApiErrorShape {
  if (err instanceof AppError) {
    return err.details
      ? { code: err.code, message: err.message, details: err.details }
      : { code: err.code, message: err.message };
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as SqliteLikeError;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return { code: 'DB_BUSY', message: `The database is locked by another process; try again (${message})` };
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return { code: 'IO_ERROR', message: `The disk is full: free some space and try again (${message})` };
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') {
    return { code: 'IO_ERROR', message: `The data folder is read-only (${message})` };
  }
  if (code === 'ENOENT') return { code: 'NOT_FOUND', message };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EIO' || code === 'EISDIR' || code === 'ENOTDIR') {
    return { code: 'IO_ERROR', message };
  }
  return { code: 'INTERNAL', message: message || 'Unexpected error' };
}
