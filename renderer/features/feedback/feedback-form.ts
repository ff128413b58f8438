import type { FeedbackClassification, FeedbackDraftInput } from '../../../preload/contract/index.ts';

/** What the compose step holds; turned into a `feedback:draft` input by `draftInput`. */
export interface FeedbackForm {
  classification: FeedbackClassification;
  note: string;
  includeLogs: boolean;
  includeRollout: boolean;
  extraFiles: string[];
}

export const NOTE_MAX = 20_000;
export const EXTRA_FILES_MAX = 20;

export const emptyForm = (): FeedbackForm => ({
  classification: 'bug',
  note: '',
  includeLogs: true,
  includeRollout: false,
  extraFiles: [],
});

/** POSIX `/x`, Windows `C:\x` or `C:/x`, UNC `\\server\share`. `~` is not expanded by main: refused. */
export function isAbsolutePath(path: string): boolean {
  return /^\//.test(path) || /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\]/.test(path);
}

export type AddPathResult = { ok: true; files: string[] } | { ok: false; error: string };

/** Adds a typed path to the extra files, or says why it cannot be added. */
export function addExtraFile(files: readonly string[], raw: string): AddPathResult {
  // Quotes come along when a path is copied from a file manager or a shell.
  const path = raw.trim().replace(/^(['"])(.*)\1$/, '$2');
  if (!path) return { ok: false, error: 'Type or paste the full path of a file.' };
  if (!isAbsolutePath(path)) {
    return {
      ok: false,
      error: path.startsWith('~')
        ? 'Write the home folder out in full (e.g. /home/you/…): ~ is not expanded.'
        : 'Use an absolute path, e.g. /home/you/notes.txt or C:\\Users\\you\\notes.txt.',
    };
  }
  if (files.includes(path)) return { ok: false, error: 'That file is already attached.' };
  if (files.length >= EXTRA_FILES_MAX) return { ok: false, error: `At most ${EXTRA_FILES_MAX} extra files.` };
  return { ok: true, files: [...files, path] };
}

/** The draft request; the rollout only goes with a thread. */
export function draftInput(form: FeedbackForm, threadId: string | null): FeedbackDraftInput {
  return {
    classification: form.classification,
    note: form.note.trim(),
    threadId,
    includeLogs: form.includeLogs,
    includeRollout: threadId !== null && form.includeRollout,
    extraFiles: form.extraFiles,
  };
}
