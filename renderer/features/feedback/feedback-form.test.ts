import { describe, expect, it } from 'vitest';
import { addExtraFile, draftInput, emptyForm, EXTRA_FILES_MAX, isAbsolutePath } from './feedback-form.ts';

describe('extra file paths', () => {
  it('accepts POSIX, Windows and UNC absolute paths only', () => {
    expect(isAbsolutePath('/home/me/a.log')).toBe(true);
    expect(isAbsolutePath('C:\\Users\\me\\a.log')).toBe(true);
    expect(isAbsolutePath('d:/logs/a.log')).toBe(true);
    expect(isAbsolutePath('\\\\server\\share\\a.log')).toBe(true);
    expect(isAbsolutePath('a.log')).toBe(false);
    expect(isAbsolutePath('./a.log')).toBe(false);
    expect(isAbsolutePath('~/a.log')).toBe(false);
  });

  it('adds a trimmed, unquoted path', () => {
    expect(addExtraFile([], '  "/tmp/my notes.txt" ')).toEqual({ ok: true, files: ['/tmp/my notes.txt'] });
    expect(addExtraFile(['/a'], "'/b'")).toEqual({ ok: true, files: ['/a', '/b'] });
  });

  it('says why a path is refused', () => {
    expect(addExtraFile([], '   ')).toEqual({ ok: false, error: 'Type or paste the full path of a file.' });
    expect(addExtraFile([], '~/x.log')).toMatchObject({
      ok: false,
      error: expect.stringContaining('~ is not expanded'),
    });
    expect(addExtraFile([], 'x.log')).toMatchObject({
      ok: false,
      error: expect.stringContaining('absolute path'),
    });
    expect(addExtraFile(['/a'], '/a')).toEqual({ ok: false, error: 'That file is already attached.' });
    const full = Array.from({ length: EXTRA_FILES_MAX }, (_, i) => `/f${i}`);
    expect(addExtraFile(full, '/one-more')).toEqual({ ok: false, error: 'At most 20 extra files.' });
  });
});

describe('draftInput', () => {
  it('sends the rollout only with a thread, and a trimmed note', () => {
    const form = { ...emptyForm(), note: '  broke  ', includeRollout: true, extraFiles: ['/x'] };
    expect(draftInput(form, 'abc')).toEqual({
      classification: 'bug',
      note: 'broke',
      threadId: 'abc',
      includeLogs: true,
      includeRollout: true,
      extraFiles: ['/x'],
    });
    expect(draftInput(form, null)).toMatchObject({ threadId: null, includeRollout: false });
  });
});
