import type { Handlers } from '../ipc/router.ts';
import type { MemoriesService } from './memories-service.ts';

type MemoriesHandlers = Pick<
  Handlers,
  | 'memories:status'
  | 'memories:jobs'
  | 'memories:outputs'
  | 'memories:output'
  | 'memories:files'
  | 'memories:readFile'
  | 'memories:run'
  | 'memories:cancel'
  | 'memories:drop'
  | 'memories:reset'
  | 'memories:setThreadMode'
  | 'memories:updateSettings'
>;

export function createMemoriesHandlers(m: MemoriesService): MemoriesHandlers {
  return {
    'memories:status': () => m.status(),
    'memories:jobs': () => m.jobs(),
    'memories:outputs': ({ limit }) => m.outputs(limit),
    'memories:output': ({ threadId }) => m.output(threadId),
    'memories:files': () => m.files(),
    'memories:readFile': ({ path }) => m.readFile(path),
    'memories:run': () => m.run(),
    'memories:cancel': () => m.cancel(),
    'memories:drop': () => m.drop(),
    'memories:reset': () => m.reset(),
    'memories:setThreadMode': ({ threadId, mode }) => m.setThreadMode(threadId, mode),
    'memories:updateSettings': (patch) => m.updateSettings(patch),
  };
}
