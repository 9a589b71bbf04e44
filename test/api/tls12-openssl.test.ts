// TLS 1.2 PSK between tlsrt's node:tls API and the openssl CLI, both roles:
// `openssl s_server -tls1_2 -psk ... [-psk_hint H] -cipher <suite>` for a
// tlsrt client, `openssl s_client -tls1_2 -psk ...` for a tlsrt server, for
// every TLS 1.2 suite both implement, with and without an identity hint;
// then a wrong key and an unknown identity, where tlsrt must report the
// error code node:tls reports against the same openssl peer (run here too).
// Every child is killed in `finally`; waits are hang guards only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import nodeTls from 'node:tls';
import { randomBytes } from 'node:crypto';
import tlsrt from '../../src/index.ts';
import { connectRetry, freePort, spawnPeer, waitFor, type Peer } from '../helpers/peers.ts';

const ID = 'device-0001';
const KEY = randomBytes(32);
const SUITES = ['PSK-AES128-GCM-SHA256', 'PSK-AES256-GCM-SHA384', 'PSK-CHACHA20-POLY1305', 'ECDHE-PSK-CHACHA20-POLY1305', 'PSK-AES128-CCM', 'PSK-AES128-CCM8'];
const LIBS = { node: nodeTls, tlsrt: tlsrt as unknown as typeof nodeTls };
type LibName = keyof typeof LIBS;
const T = { timeout: 30000 };

interface ClientOutcome {
  hints: (string | null)[];
  ephemeral?: unknown;
  protocol?: string | null;
  cipher?: string;
  error?: string;
  echoed: Buffer;
}

/** A `lib` client against s_server (TLS 1.2, one suite): what it saw, after `data` went up and came back. */
async function againstSServer(lib: LibName, suite: string, o: { hint?: string; key?: Buffer; identity?: string; args?: string[]; tls?: Record<string, unknown> } = {}): Promise<ClientOutcome> {
  const port = await freePort();
  const peer = spawnPeer('openssl', [
    's_server', '-brief', '-nocert', '-rev', '-accept', `127.0.0.1:${port}`, '-tls1_2', '-cipher', suite,
    '-psk', KEY.toString('hex'), '-psk_identity', ID, ...(o.hint ? ['-psk_hint', o.hint] : []), ...(o.args ?? []),
  ]);
  const out: ClientOutcome = { hints: [], echoed: Buffer.alloc(0) };
  let socket: nodeTls.TLSSocket | undefined;
  try {
    const s = (socket = LIBS[lib].connect({
      socket: await connectRetry(port), ciphers: suite, maxVersion: 'TLSv1.2', checkServerIdentity: () => undefined, ...o.tls,
      pskCallback: (hint: string | null) => {
        out.hints.push(hint);
        return { psk: o.key ?? KEY, identity: o.identity ?? ID };
      },
    }));
    await new Promise<void>((resolve) => {
      s.once('secureConnect', () => {
        out.protocol = s.getProtocol();
        out.cipher = s.getCipher()?.name;
        out.ephemeral = s.getEphemeralKeyInfo();
        s.write('tlsrt says hello\n'); // -rev: s_server answers each line reversed
      });
      s.on('data', (d: Buffer) => {
        out.echoed = Buffer.concat([out.echoed, d]);
        if (out.echoed.includes('\n')) resolve();
      });
      s.once('error', (e: Error & { code?: string }) => {
        out.error = e.code;
        resolve();
      });
      s.once('close', () => resolve());
    });
    return out;
  } finally {
    socket?.destroy();
    await peer.kill();
  }
}

interface ServerOutcome {
  sClient: string;
  protocol?: string | null;
  cipher?: string;
  error?: string;
  identities: string[];
  echoed: Buffer;
}

/** s_client (TLS 1.2, one suite) against a `lib` server that echoes: what both saw. */
async function sClientAgainst(lib: LibName, suite: string, o: { hint?: string; key?: Buffer; identity?: string; args?: string[]; tls?: Record<string, unknown> } = {}): Promise<ServerOutcome> {
  const out: ServerOutcome = { sClient: '', identities: [], echoed: Buffer.alloc(0) };
  const server = LIBS[lib].createServer({
    ciphers: suite, pskIdentityHint: o.hint, ...o.tls,
    pskCallback: (_s: unknown, id: string) => {
      out.identities.push(id);
      return id === ID ? KEY : null;
    },
  }, (s) => {
    out.protocol = s.getProtocol();
    out.cipher = s.getCipher()?.name;
    s.pipe(s);
  });
  const failed = new Promise<void>((resolve) => server.on('tlsClientError', (e: Error & { code?: string }) => {
    out.error = e.code;
    resolve();
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  let peer: Peer | undefined;
  try {
    peer = spawnPeer('openssl', [
      's_client', '-nocommands', '-connect', `127.0.0.1:${(server.address() as net.AddressInfo).port}`, '-tls1_2', '-cipher', suite,
      '-psk', (o.key ?? KEY).toString('hex'), '-psk_identity', o.identity ?? ID, ...(o.args ?? []),
    ]);
    const p = peer;
    const data = randomBytes(4096).toString('hex');
    const echoed = waitFor(() => p.stdout().includes(data), 'the echo').then(() => true, () => false);
    const connected = waitFor(() => /PSK identity hint: /.test(p.stdout().toString('latin1')), 's_client to print its session');
    const exited = p.exited.then(() => undefined);
    await Promise.race([connected.then(() => {
      p.proc.stdin!.write(`${data}\n`);
      return echoed;
    }), failed, exited]);
    out.echoed = p.stdout().includes(data) ? Buffer.from(data) : Buffer.alloc(0);
    await p.kill();
    out.sClient = p.stdout().toString('latin1') + p.stderr();
    return out;
  } finally {
    await peer?.kill();
    server.close();
  }
}

for (const suite of SUITES) {
  for (const hint of [undefined, 'broker-hint']) {
    const what = `${suite}${hint ? ', identity hint' : ''}`;
    test(`tlsrt connect() -> openssl s_server -tls1_2, ${what}: hint, protocol, suite, data`, T, async () => {
      const r = await againstSServer('tlsrt', suite, { hint });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.hints, [hint ?? null], 'pskCallback got the server\'s hint (null without one)');
      assert.equal(r.protocol, 'TLSv1.2');
      assert.equal(r.cipher, suite);
      assert.equal(r.echoed.toString(), `${'tlsrt says hello'.split('').reverse().join('')}\n`);
    });

    test(`openssl s_client -tls1_2 -> tlsrt createServer(), ${what}: hint, protocol, suite, echo`, T, async () => {
      const r = await sClientAgainst('tlsrt', suite, { hint });
      assert.equal(r.error, undefined, r.sClient);
      assert.deepEqual(r.identities, [ID]);
      assert.equal(r.protocol, 'TLSv1.2');
      assert.equal(r.cipher, suite);
      assert.ok(r.echoed.length > 0, 'the echo came back');
      assert.match(r.sClient, new RegExp(`Protocol\\s+: TLSv1\\.2`));
      assert.match(r.sClient, new RegExp(`Cipher\\s+: ${suite}\\n`));
      assert.match(r.sClient, new RegExp(`PSK identity hint: ${hint ?? 'None'}\\n`), 's_client saw the hint tlsrt sent');
      assert.match(r.sClient, /Extended master secret: yes/);
    });
  }
}

for (const [name, o] of [['wrong key', { key: randomBytes(32) }], ['unknown identity', { identity: 'stranger' }]] as const) {
  for (const suite of ['PSK-AES128-GCM-SHA256', 'PSK-CHACHA20-POLY1305']) {
    // s_server only warns about an identity other than its -psk_identity (and uses its key):
    // there the outcome to match is a working connection.
    test(`${name}, ${suite}: a tlsrt client gets what a node:tls client gets from s_server`, T, async () => {
      const ref = await againstSServer('node', suite, o);
      assert.equal(!!ref.error, name === 'wrong key', 'node:tls fails exactly with the wrong key');
      const r = await againstSServer('tlsrt', suite, o);
      assert.equal(r.error, ref.error);
      assert.equal(r.echoed.toString(), ref.echoed.toString());
    });

    test(`${name}, ${suite}: a tlsrt server reports what a node:tls server reports against s_client`, T, async () => {
      const ref = await sClientAgainst('node', suite, o);
      assert.ok(ref.error, 'node:tls fails');
      const r = await sClientAgainst('tlsrt', suite, o);
      assert.equal(r.error, ref.error, r.sClient);
      assert.equal(r.echoed.length, 0);
    });
  }
}

test('ECDHE-PSK over P-256: tlsrt connect({ ecdhCurve: P-256 }) -> s_server -tls1_2 -groups P-256, and s_client -groups P-256 -> tlsrt', T, async () => {
  const suite = 'ECDHE-PSK-CHACHA20-POLY1305';
  const c = await againstSServer('tlsrt', suite, { args: ['-groups', 'P-256'], tls: { ecdhCurve: 'P-256' } });
  assert.equal(c.error, undefined);
  assert.equal(c.protocol, 'TLSv1.2');
  assert.deepEqual(c.ephemeral, { type: 'ECDH', name: 'prime256v1', size: 256 });
  assert.ok(c.echoed.length > 0);
  const s = await sClientAgainst('tlsrt', suite, { args: ['-groups', 'P-256'], tls: { ecdhCurve: 'P-256' } });
  assert.equal(s.error, undefined, s.sClient);
  assert.equal(s.cipher, suite);
  assert.match(s.sClient, /Server Temp Key: ECDH, prime256v1, 256 bits/);
  assert.ok(s.echoed.length > 0);
});
