import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs, remoteAccessWarning, ServeUsageError } from './serve-args.ts';

const env = { CODEX_HOME: '/srv/codex', THREADSCOPE_DATA_DIR: '/srv/data' };

describe('parseServeArgs', () => {
  it('defaults to the environment, a random port and a random token', () => {
    expect(parseServeArgs([], env)).toEqual({
      help: false,
      codexHome: '/srv/codex',
      dataDir: '/srv/data',
      port: 0,
      token: undefined,
      host: '127.0.0.1',
      remote: false,
    });
  });

  it('listens beyond loopback only with --allow-remote, and warns about it', () => {
    expect(() => parseServeArgs(['--host', '0.0.0.0'], env)).toThrow(/--allow-remote/);
    expect(() => parseServeArgs(['--host', '192.168.1.20'], env)).toThrow(ServeUsageError);
    expect(parseServeArgs(['--host', '0.0.0.0', '--allow-remote'], env)).toMatchObject({
      host: '0.0.0.0',
      remote: true,
    });
    expect(parseServeArgs(['--host', '::1'], env)).toMatchObject({ host: '::1', remote: false });
    expect(parseServeArgs(['--host', '127.0.0.2'], env)).toMatchObject({ remote: false });
    expect(remoteAccessWarning('::', 8787)).toMatch(
      /^WARNING: listening on \[::\]:8787, reachable from other/,
    );
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
    [['--host', 'localhost']],
    [['--host', 'devbox.example', '--allow-remote']],
    [['--bogus']],
    [['positional']],
  ])('rejects %j', (argv) => {
    expect(() => parseServeArgs(argv, env)).toThrow(ServeUsageError);
  });
});
