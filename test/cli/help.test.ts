// `tlsrt client --help`, `tlsrt server --help` and usage errors: the help
// explains every option with examples and exit codes (stdout, exit 0); a
// command-line mistake names itself on stderr and exits 2 before any
// connection is tried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tlsrtSync } from '../helpers/cli.ts';

const CLIENT_OPTIONS = ['-h, --help', '--host', '--port', '--psk-identity', '--psk ', '--ciphers', '--max-send-fragment', '--max-fragment-length', '--alpn', '--servername', '--keylog', '--trace', '--psk-ke', '--groups'];
const SERVER_OPTIONS = ['-h, --help', '--host', '--port', '--psk-identity', '--psk ', '--ciphers', '--max-send-fragment', '--alpn', '--keylog', '--trace', '--psk-ke', '--groups', '--once', '--stdio'];

for (const [cmd, options] of [['client', CLIENT_OPTIONS], ['server', SERVER_OPTIONS]] as const) {
  test(`tlsrt ${cmd} --help: usage, every option, examples and exit codes on stdout`, () => {
    for (const flag of ['--help', '-h']) {
      const r = tlsrtSync([cmd, flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, new RegExp(`^usage: tlsrt ${cmd} --psk <hex> \\[options\\]`));
      for (const o of options) assert.ok(r.stdout.includes(`  ${o}`), `${cmd} help documents ${o.trim()}`);
      assert.match(r.stdout, /\nexamples:\n/);
      const examples = r.stdout.split('\nexamples:\n')[1].split('\nexit codes:')[0];
      assert.ok(examples.split('\n').filter((l) => l.includes(`tlsrt ${cmd} --`)).length >= 3, 'at least three example commands');
      assert.match(r.stdout, /\nexit codes:\n\s+0 .*\n(.*\n)*\s+1 .*\n(.*\n)*\s+2 +usage error/);
    }
  });
}

test('tlsrt help lists client and server', () => {
  const r = tlsrtSync(['help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^ {2}client --psk <hex>/m);
  assert.match(r.stdout, /^ {2}server --psk <hex>/m);
  assert.match(r.stdout, /^ {2}selftest/m);
  assert.match(r.stdout, /^ {2}bundle/m);
});

const USAGE_ERRORS: [string, string[], RegExp][] = [
  ['client', [], /--psk <hex> is required/],
  ['server', ['--port', '0'], /--psk <hex> is required/],
  ['client', ['--psk', 'xyz'], /--psk must be an even number of hex digits, not 'xyz'/],
  ['client', ['--psk', 'abc'], /--psk must be an even number of hex digits/],
  ['client', ['--psk', '00', '--port', '70000'], /--port must be an integer from 1 to 65535, not '70000'/],
  ['client', ['--psk', '00', '--port', '0'], /--port must be an integer from 1 to 65535/],
  ['server', ['--psk', '00', '--port', 'http'], /--port must be an integer from 0 to 65535, not 'http'/],
  ['client', ['--psk', '00', '--bogus'], /Unknown option '--bogus'/],
  ['client', ['--psk', '00', 'extra'], /Unexpected argument 'extra'/],
  ['client', ['--psk'], /--psk <value>' argument missing/],
  ['client', ['--psk', '00', '--max-fragment-length', '1000'], /--max-fragment-length must be 512, 1024, 2048 or 4096, not '1000'/],
  ['server', ['--psk', '00', '--max-send-fragment', '100'], /--max-send-fragment must be an integer from 512 to 16384, not '100'/],
  ['client', ['--psk', '00', '--ciphers', 'TLS_NOPE'], /ERR_SSL_NO_CIPHER_MATCH/],
  ['server', ['--psk', '00', '--alpn', 'h2,,x'], /--alpn must be a comma-separated list/],
  ['server', ['--psk', '00', '--ciphers', 'TLS_AES_256_GCM_SHA384'], /a PSK is used with SHA-256, so it needs a SHA-256 suite/],
];

for (const [cmd, args, message] of USAGE_ERRORS) {
  test(`tlsrt ${cmd} ${args.join(' ')}: usage error, exit 2`, () => {
    const r = tlsrtSync([cmd, ...args]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^tlsrt ${cmd}: `));
    assert.match(r.stderr, message);
    assert.match(r.stderr, new RegExp(`Run 'tlsrt ${cmd} --help'`));
    assert.equal(r.stdout, '', 'nothing on stdout: no connection was made');
  });
}
