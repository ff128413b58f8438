import { describe, expect, it } from 'vitest';
import { LogFilter } from '../../../preload/contract/index.ts';
import {
  AROUND_MS,
  clearLogFilters,
  DEFAULT_LOGS_VIEW,
  hasLogFilters,
  logFilter,
  logsAroundHref,
  parseLogsView,
  parseMs,
  serializeLogsView,
  type LogsView,
} from './log-view.ts';

const parse = (query: string): LogsView => parseLogsView(new URLSearchParams(query));
const T1 = '019bfafe-3da9-7880-ba6c-483ad20ea4af';
const T2 = '019b0093-0f99-75e3-9b62-65da9e3c9e61';

describe('logs view in the URL', () => {
  it('round-trips every field', () => {
    const view: LogsView = {
      source: 'codex',
      level: 'WARN',
      threads: [T1, T2],
      sub: true,
      process: 'pid:42:0f4c8f0e-4b9a-4c55-9f43-1d2a6b1e8c11',
      target: 'codex_core::exec',
      q: 'timed out & retry',
      fromMs: 1_760_000_000_000,
      toMs: 1_760_000_060_000,
    };
    const params = serializeLogsView(view);
    expect(params.getAll('thread')).toEqual([T1, T2]);
    expect(params.get('sub')).toBe('1');
    expect(parse(params.toString())).toEqual(view);
  });

  it('leaves defaults out, so a plain view is a plain URL', () => {
    expect(serializeLogsView(DEFAULT_LOGS_VIEW).toString()).toBe('');
    expect(parse('')).toEqual(DEFAULT_LOGS_VIEW);
  });

  it('reads threads repeated or as a comma list, trimmed and distinct', () => {
    expect(parse(`thread=${T1}&thread=${T2},%20${T1}%20,,`).threads).toEqual([T1, T2]);
  });

  it('caps threads at the contract limit and drops over-long ids', () => {
    const many = Array.from({ length: 60 }, (_, i) => `t${i}`).join(',');
    expect(parse(`thread=${many}`).threads).toHaveLength(50);
    expect(parse(`thread=${'x'.repeat(201)},ok`).threads).toEqual(['ok']);
  });

  it('reads levels case-insensitively, WARNING as WARN, and drops unknown ones', () => {
    expect(parse('level=error').level).toBe('ERROR');
    expect(parse('level=Warning').level).toBe('WARN');
    expect(parse('level=loud').level).toBeNull();
  });

  it('falls back on unknown sources and malformed times', () => {
    expect(parse('source=syslog').source).toBeNull();
    expect(parse('from=yesterday&to=-5').fromMs).toBeNull();
    expect(parse('from=yesterday&to=-5').toMs).toBeNull();
  });

  it('expands around=<ms> to ±30 s, explicit bounds win', () => {
    const around = 1_760_000_000_000;
    const v = parse(`around=${around}`);
    expect([v.fromMs, v.toMs]).toEqual([around - AROUND_MS, around + AROUND_MS]);
    expect(parse(`around=${around}&from=${around - 5}`).fromMs).toBe(around - 5);
    expect(parse('around=1000').fromMs).toBe(0);
  });

  it('accepts ISO dates and swaps a reversed range', () => {
    const v = parse('from=2026-03-01T00:00:10Z&to=2026-03-01T00:00:00Z');
    expect(v.fromMs).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(v.toMs).toBe(Date.parse('2026-03-01T00:00:10Z'));
    expect(parseMs('12345')).toBe(12345);
  });

  it('keeps sub only alongside threads', () => {
    expect(serializeLogsView({ ...DEFAULT_LOGS_VIEW, sub: true }).has('sub')).toBe(false);
  });

  it('builds the transcript link the brief asks for, and it parses back', () => {
    const href = logsAroundHref(T1, 1_760_000_000_123);
    expect(href).toBe(`#/logs?source=codex&thread=${T1}&sub=1&around=1760000000123`);
    const v = parse(href.slice(href.indexOf('?') + 1));
    expect(v).toMatchObject({ source: 'codex', threads: [T1], sub: true, fromMs: 1_759_999_970_123 });
  });
});

describe('logs view to the contract filter', () => {
  it('maps every field and passes the contract schema', () => {
    const view = parse(
      `source=codex&level=info&thread=${T1}&sub=1&process=p1&target=%20core%20&q=boom&from=5&to=9`,
    );
    const filter = logFilter(view);
    expect(filter).toEqual({
      minLevel: 'INFO',
      threadIds: [T1],
      includeSubagents: true,
      process: 'p1',
      target: 'core',
      text: 'boom',
      fromMs: 5,
      toMs: 9,
    });
    expect(LogFilter.safeParse(filter).success).toBe(true);
  });

  it('leaves blank values and a lone sub-agents flag out', () => {
    expect(logFilter({ ...DEFAULT_LOGS_VIEW, sub: true, q: '   ', target: '' })).toEqual({});
  });

  it('knows when something narrows the rows, and clears all but the source', () => {
    const view = parse('source=app&level=WARN&q=x');
    expect(hasLogFilters(view)).toBe(true);
    expect(hasLogFilters(parse('source=codex'))).toBe(false);
    expect(clearLogFilters(view)).toEqual({ ...DEFAULT_LOGS_VIEW, source: 'app' });
  });
});
