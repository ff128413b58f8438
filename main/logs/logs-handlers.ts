import type { Handlers } from '../ipc/router.ts';
import type { LogsService } from './logs-service.ts';

type LogsHandlers = Pick<
  Handlers,
  'logs:sources' | 'logs:status' | 'logs:query' | 'logs:tail' | 'logs:histogram' | 'logs:flush'
>;

export function createLogsHandlers(logs: LogsService): LogsHandlers {
  return {
    'logs:sources': () => logs.sources(),
    'logs:status': ({ source }) => logs.status(source),
    'logs:query': (input) => logs.query(input),
    'logs:tail': (input) => logs.tail(input),
    'logs:histogram': (input) => logs.histogram(input),
    'logs:flush': () => logs.flush(),
  };
}
