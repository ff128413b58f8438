import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FeedbackRecord } from '../../preload/contract/feedback.ts';
import { AppError } from '../core/app-error.ts';

export const FEEDBACK_ID = /^[0-9a-f]{32}$/;
const MANIFEST = 'bundle.json';

export interface StoredPart {
  name: string;
  contentType: string;
  data: Buffer;
}

/**
 * `<data dir>/feedback/<id>/`: the parts as sent plus `bundle.json` (the record). A bundle is written to a
 * temporary folder and renamed into place, the manifest replaced by rename, so a crash leaves either the
 * old state or the new one, never half a bundle.
 */
export class FeedbackStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'feedback');
  }

  dirOf(id: string): string {
    if (!FEEDBACK_ID.test(id)) throw new Error(`not a feedback id: ${id}`);
    return join(this.root, id);
  }

  create(record: FeedbackRecord, parts: readonly StoredPart[]): void {
    const dir = this.dirOf(record.id);
    const tmp = join(this.root, `.tmp-${record.id}`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const p of parts) writeFileSync(join(tmp, p.name), p.data);
    writeFileSync(join(tmp, MANIFEST), JSON.stringify(record, null, 2));
    renameSync(tmp, dir);
  }

  update(record: FeedbackRecord): void {
    const dir = this.dirOf(record.id);
    const tmp = join(dir, `${MANIFEST}.tmp`);
    writeFileSync(tmp, JSON.stringify(record, null, 2));
    renameSync(tmp, join(dir, MANIFEST));
  }

  get(id: string): FeedbackRecord | null {
    try {
      // A symlinked bundle folder leads outside the data dir: not ours to read, rewrite or send.
      if (lstatSync(this.dirOf(id)).isSymbolicLink()) return null;
      const parsed = FeedbackRecord.safeParse(
        JSON.parse(readFileSync(join(this.dirOf(id), MANIFEST), 'utf8')),
      );
      return parsed.success ? { ...parsed.data, path: this.dirOf(id) } : null;
    } catch {
      return null;
    }
  }

  /** Every readable bundle, newest first; folders that are not bundles are skipped. */
  list(): FeedbackRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.root);
    } catch {
      return [];
    }
    return names
      .filter((n) => FEEDBACK_ID.test(n))
      .map((n) => this.get(n))
      .filter((r): r is FeedbackRecord => r !== null)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  readPart(id: string, name: string): Buffer {
    // Part names come from bundle.json on disk: only a plain file name stays inside the bundle's folder.
    if (name !== basename(name) || name === '..' || name === '.' || name === MANIFEST)
      throw new AppError('FORBIDDEN', `Feedback ${id} names a part outside its folder: ${name}`);
    return readFileSync(join(this.dirOf(id), name));
  }

  remove(id: string): void {
    rmSync(this.dirOf(id), { recursive: true, force: true });
  }
}
