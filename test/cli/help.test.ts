// `tlsrt client --help`, `tlsrt server --help` and usage errors: the help
// explains every option with examples and exit codes (stdout, exit 0); a
// command-line mistake names itself on stderr and exits 2 before any
// connection is tried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tlsrtSync } from '../helpers/cli.ts';

const CLIENT_OPTIONS = ['-h, --help', '--host', '--port', '--psk-identity', '--psk ', '--ciphers', '--max-send-fragment', '--max-fragment-length', '--alpn', '--servername', '--keylog', '--trace', '--psk-ke', '--groups', '-tls1_2, -tls1_3', '--min-version', '--max-version'];
const SERVER_OPTIONS = ['-h, --help', '--host', '--port', '--psk-identity', '--psk ', '--ciphers', '--max-send-fragment', '--alpn', '--keylog', '--trace', '--psk-ke', '--once', '--stdio', '-tls1_2, -tls1_3', '--min-version', '--max-version', '--psk-identity-hint'];

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
  ['client', ['--psk', '00', '--min-version', 'TLSv1.1'], /--min-version must be TLSv1.2 or TLSv1.3, not 'TLSv1.1'/],
  ['server', ['--psk', '00', '--max-version', '1.3'], /--max-version must be TLSv1.2 or TLSv1.3, not '1.3'/],
  ['client', ['--psk', '00', '-tls1_2', '-tls1_3'], /-tls1_2 and -tls1_3 exclude each other/],
  ['client', ['--psk', '00', '-tls1_2', '--max-version', 'TLSv1.3'], /--max-version cannot be combined with -tls1_2/],
  ['server', ['--psk', '00', '--min-version', 'TLSv1.3', '--max-version', 'TLSv1.2'], /--min-version TLSv1.3 is above --max-version TLSv1.2/],
  ['server', ['--psk', '00', '--psk-identity-hint', 'h'.repeat(129)], /--psk-identity-hint must be 1 to 128 bytes/],
  ['client', ['--psk', '00', '--ciphers', 'PSK-AES128-CBC-SHA256'], /tlsrt does not implement PSK-AES128-CBC-SHA256.*ERR_SSL_NO_CIPHER_MATCH/],
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
