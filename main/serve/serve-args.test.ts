import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs, ServeUsageError } from './serve-args.ts';

const env = { CODEX_HOME: '/srv/codex', THREADSCOPE_DATA_DIR: '/srv/data' };

describe('parseServeArgs', () => {
  it('defaults to the environment, a random port and a random token', () => {
    expect(parseServeArgs([], env)).toEqual({
      help: false,
      codexHome: '/srv/codex',
      dataDir: '/srv/data',
      port: 0,
      token: undefined,
    });
  });

  it('takes explicit folders (made absolute), a port and a token', () => {
    const token = 'f'.repeat(64);
    const args = parseServeArgs(
      ['--codex-home', 'rel/home', '--data-dir', '/d', '--port', '8765', '--token', token],
      env,
    );
    expect(args).toMatchObject({ codexHome: resolve('rel/home'), dataDir: '/d', port: 8765, token });
  });

  it('falls back to ~/.codex without CODEX_HOME', () => {
    expect(parseServeArgs([], {}).codexHome).toMatch(
      new RegExp(`${join('', '.codex').replace('.', '\\.')}$`),
    );
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--port', '-1']],
    [['--token', 'short']],
    [['--token', 'has spaces in it but is long']],
    [['--codex-home']],
    [['--codex-home', '']],
    [['--bogus']],
    [['positional']],
  ])('rejects %j', (argv) => {
    expect(() => parseServeArgs(argv, env)).toThrow(ServeUsageError);
  });
});
