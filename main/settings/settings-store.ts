import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { MemoriesSettings, type MemoriesSettingsInput } from './memories-settings.ts';

export const Settings = z
  .object({
    version: z.literal(1).default(1),
    memories: MemoriesSettings.default(MemoriesSettings.parse({})),
  })
  .strict();
export type Settings = z.output<typeof Settings>;

export class SettingsError extends Error {}

/**
 * `<data dir>/settings.json`: Threadscope's own settings, validated on read and on write, replaced by
 * rename so a crash never leaves half a file. An unreadable or invalid file is reported, not
 * overwritten: the defaults apply until the user saves, and the bad file is kept beside as `.invalid`.
 */
export class SettingsStore {
  readonly path: string;
  private current: Settings;
  /** Why the file on disk was not used (shown in Settings), or null. */
  problem: string | null = null;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'settings.json');
    this.current = this.load();
  }

  private load(): Settings {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.problem = `cannot read ${this.path}: ${(err as Error).message}`;
      return Settings.parse({});
    }
    try {
      const parsed = Settings.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      this.problem = `${this.path} is not valid: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
        .join('; ')}`;
    } catch (err) {
      this.problem = `${this.path} is not JSON: ${(err as Error).message}`;
    }
    return Settings.parse({});
  }

  get(): Settings {
    return this.current;
  }

  /** Validates and saves new memories settings (a partial update over the current ones). */
  updateMemories(patch: Partial<MemoriesSettingsInput>): Settings {
    const parsed = MemoriesSettings.safeParse({ ...this.current.memories, ...patch });
    if (!parsed.success)
      throw new SettingsError(
        parsed.error.issues.map((i) => `memories.${i.path.join('.')}: ${i.message}`).join('; '),
      );
    const next: Settings = { ...this.current, memories: parsed.data };
    this.write(next);
    this.current = next;
    this.problem = null;
    return next;
  }

  private write(s: Settings): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`);
    if (this.problem) {
      // Keep what the user had, once, before replacing it.
      try {
        renameSync(this.path, `${this.path}.invalid`);
      } catch {
        // nothing to keep
      }
    }
    renameSync(tmp, this.path);
  }
}
