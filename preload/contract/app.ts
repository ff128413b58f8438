import { z } from 'zod';
import { method } from './define.ts';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  shell: z.enum(['electron', 'serve', 'cli', 'test']),
  codexHome: z.string(),
  dataDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  info: method('Versions and the folders this instance works on', z.object({}).strict(), AppInfo),
} as const;
