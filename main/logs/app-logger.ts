import { LOG_LEVELS, type LogLevelName } from '../../preload/contract/logs.ts';
import type { LogWriter } from './log-writer.ts';

export interface LogFields {
  /** The thread the work concerns (ingestion, memories, feedback). */
  threadId?: string | null;
  /** Call site, when it matters (e.g. the rollout a problem is about). */
  file?: string | null;
  line?: number | null;
}

export interface Logger {
  readonly target: string;
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * A logger for one module: `target` like `threadscope::ingest` (also stored as the module path, as
   * tracing's default target is the module path), `file` its source file.
   */
  child(target: string, file?: string): Logger;
}

export interface LoggerOptions {
  /** Where rows go; null keeps only the mirror (no logs DB). */
  writer: LogWriter | null;
  /** Rows below this level are not written (default DEBUG). */
  minLevel?: LogLevelName;
  /** Also printed here at WARN and above (the shells' stderr), so failures stay visible without the UI. */
  mirror?: ((line: string) => void) | null;
}

const rank = (l: LogLevelName): number => LOG_LEVELS.indexOf(l);
const WARN = rank('WARN');

/**
 * The main process's one structured logger: every module takes a child with its own target, rows go
 * through the logs writer's bounded queue (never blocking, never silently dropped), WARN and ERROR are
 * mirrored to stderr.
 */
export function createLogger(
  o: LoggerOptions,
  target = 'threadscope',
  sourceFile: string | null = null,
): Logger {
  const min = rank(o.minLevel ?? 'DEBUG');
  const emit = (level: LogLevelName, message: string, f?: LogFields): void => {
    const r = rank(level);
    if (r >= WARN && o.mirror) o.mirror(`[${target}] ${level} ${message}`);
    if (r < min || !o.writer) return;
    o.writer.log({
      level,
      target,
      message,
      modulePath: target,
      file: f?.file ?? sourceFile,
      line: f?.line ?? null,
      threadId: f?.threadId ?? null,
    });
  };
  return {
    target,
    trace: (m, f) => emit('TRACE', m, f),
    debug: (m, f) => emit('DEBUG', m, f),
    info: (m, f) => emit('INFO', m, f),
    warn: (m, f) => emit('WARN', m, f),
    error: (m, f) => emit('ERROR', m, f),
    child: (t, mp) => createLogger(o, t, mp ?? null),
  };
}

/** A logger that writes nowhere (tests, the CLI). */
export const silentLogger: Logger = createLogger({ writer: null, mirror: null });
