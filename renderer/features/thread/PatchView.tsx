import type { PatchFile } from './patch-parse.ts';

const KIND_LABEL: Record<PatchFile['kind'], string> = { add: 'added', update: 'modified', delete: 'deleted' };

function FileDiff({ file }: { file: PatchFile }) {
  return (
    <div className="diff-file" data-testid="diff-file">
      <div className="diff-file__head">
        <span className={`diff-file__kind diff-file__kind--${file.kind}`}>{KIND_LABEL[file.kind]}</span>
        <span className="diff-file__path mono" title={file.path}>
          {file.path}
          {file.moveTo && <> → {file.moveTo}</>}
        </span>
        <span className="diff-file__stat mono">
          {file.added > 0 && <span className="diff-add-count">+{file.added}</span>}
          {file.removed > 0 && <span className="diff-del-count">−{file.removed}</span>}
        </span>
      </div>
      {file.hunks.length > 0 && (
        <div className="diff-file__body mono" role="table" aria-label={`Changes to ${file.path}`}>
          {file.hunks.map((hunk, h) => (
            <div key={h} className="diff-hunk">
              {(hunk.header !== null || h > 0) && (
                <div className="diff-line diff-line--hunk">@@ {hunk.header ?? ''}</div>
              )}
              {hunk.lines.map((line, i) => (
                <div key={i} className={`diff-line diff-line--${line.type}`}>
                  <span className="diff-line__sign" aria-hidden="true">
                    {line.type === 'add' ? '+' : line.type === 'del' ? '−' : ' '}
                  </span>
                  <span className="diff-line__text">{line.text || ' '}</span>
                </div>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Files and hunks of a patch, coloured like a code review. */
export function PatchView({ files }: { files: PatchFile[] }) {
  return (
    <div className="diff">
      {files.map((f, i) => (
        <FileDiff key={`${f.path}-${i}`} file={f} />
      ))}
    </div>
  );
}
