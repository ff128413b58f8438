import { describe, expect, it } from 'vitest';
import { LogsConfigError, logsConfigFromEnv } from './logs-config.ts';

describe('logsConfigFromEnv', () => {
  it('keeps the defaults when nothing (or blanks) are set', () => {
    expect(logsConfigFromEnv({})).toEqual({});
    expect(logsConfigFromEnv({ THREADSCOPE_LOG_LEVEL: ' ', THREADSCOPE_LOG_MAX_ROWS: '' })).toEqual({});
  });

  it('reads level, retention and either cap (the other keeps the seed value)', () => {
    expect(
      logsConfigFromEnv({
        THREADSCOPE_LOG_LEVEL: 'warn',
        THREADSCOPE_LOG_RETENTION_DAYS: '2.5',
        THREADSCOPE_LOG_MAX_ROWS: '5000',
      }),
    ).toEqual({ minLevel: 'WARN', retentionDays: 2.5, caps: { maxRows: 5000, maxBytes: 10 * 1024 * 1024 } });
    expect(logsConfigFromEnv({ THREADSCOPE_LOG_MAX_BYTES: '1048576' }).caps).toEqual({
      maxRows: 1000,
      maxBytes: 1048576,
    });
  });

  it('names the variable and the value it cannot use', () => {
    expect(() => logsConfigFromEnv({ THREADSCOPE_LOG_LEVEL: 'loud' })).toThrow(LogsConfigError);
    expect(() => logsConfigFromEnv({ THREADSCOPE_LOG_MAX_ROWS: '-3' })).toThrow(
      /THREADSCOPE_LOG_MAX_ROWS \("-3"\)/,
    );
    expect(() => logsConfigFromEnv({ THREADSCOPE_LOG_RETENTION_DAYS: 'ten' })).toThrow(/RETENTION_DAYS/);
  });
});
