/** One line of a hunk: added, removed, or unchanged context. */
export interface DiffLine {
  type: 'add' | 'del' | 'ctx';
  text: string;
}

export interface DiffHunk {
  /** Text after `@@` (a context anchor in Codex patches, `-a,b +c,d` ranges in unified diffs). */
  header: string | null;
  lines: DiffLine[];
}

export interface PatchFile {
  path: string;
  kind: 'add' | 'update' | 'delete';
  moveTo: string | null;
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

const FILE_HEADER = /^\*\*\* (Add|Update|Delete) File: (.+)$/;

function newFile(kind: PatchFile['kind'], path: string): PatchFile {
  return { path, kind, moveTo: null, hunks: [], added: 0, removed: 0 };
}

function pushLine(file: PatchFile, line: DiffLine): void {
  let hunk = file.hunks.at(-1);
  if (!hunk) {
    hunk = { header: null, lines: [] };
    file.hunks.push(hunk);
  }
  hunk.lines.push(line);
  if (line.type === 'add') file.added++;
  else if (line.type === 'del') file.removed++;
}

function diffLine(raw: string): DiffLine | null {
  const c = raw[0];
  if (c === '+') return { type: 'add', text: raw.slice(1) };
  if (c === '-') return { type: 'del', text: raw.slice(1) };
  if (c === ' ') return { type: 'ctx', text: raw.slice(1) };
  if (raw === '') return { type: 'ctx', text: '' };
  return null;
}

/**
 * Parses Codex's `apply_patch` envelope (`*** Begin Patch`, `*** Add/Update/Delete File:`, `*** Move to:`,
 * `@@` hunks of `+`/`-`/` ` lines, `*** End of File`, `*** End Patch`) into files and hunks. Lenient: text
 * outside a file section is ignored and an unterminated patch (a capped one) keeps what was read.
 */
export function parseCodexPatch(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let file: PatchFile | null = null;
  for (const raw of patch.replace(/\r\n/g, '\n').split('\n')) {
    const header = FILE_HEADER.exec(raw);
    if (header) {
      file = newFile(header[1]!.toLowerCase() as PatchFile['kind'], header[2]!.trim());
      files.push(file);
      continue;
    }
    if (raw.startsWith('*** ')) {
      if (file && raw.startsWith('*** Move to: ')) file.moveTo = raw.slice('*** Move to: '.length).trim();
      else if (raw === '*** End Patch') file = null;
      continue;
    }
    if (!file) continue;
    if (raw.startsWith('@@')) {
      const text = raw.slice(2).trim();
      file.hunks.push({ header: text || null, lines: [] });
      continue;
    }
    const line = diffLine(raw);
    if (line) pushLine(file, line);
  }
  // A trailing empty line is the patch's final newline, not context.
  for (const f of files) {
    const last = f.hunks.at(-1);
    const tail = last?.lines.at(-1);
    if (last && tail && tail.type === 'ctx' && tail.text === '') last.lines.pop();
  }
  return files;
}

/** Hunks of a unified diff body (`@@ -a,b +c,d @@` headers; file headers `---`/`+++` skipped). */
export function parseUnifiedDiff(path: string, kind: PatchFile['kind'], diff: string): PatchFile {
  const file = newFile(kind, path);
  for (const raw of diff.replace(/\r\n/g, '\n').split('\n')) {
    if (raw.startsWith('--- ') || raw.startsWith('+++ ') || raw.startsWith('\\ ')) continue;
    if (raw.startsWith('@@')) {
      const m = /^@@ ([^@]*) @@ ?(.*)$/.exec(raw);
      file.hunks.push({
        header: m ? `${m[1]!.trim()}${m[2] ? ` ${m[2]}` : ''}` : raw.slice(2).trim() || null,
        lines: [],
      });
      continue;
    }
    const line = diffLine(raw);
    if (line) pushLine(file, line);
  }
  const last = file.hunks.at(-1);
  if (last?.lines.at(-1)?.type === 'ctx' && last.lines.at(-1)?.text === '') last.lines.pop();
  return file;
}
