// RFC 8446 corners of the PSK server, each checked against the two
// references a device meets: node:tls (OpenSSL inside Node) and the openssl
// CLI (s_server / s_client), with tlsrt's server on the same input.
//
//  - §9.2: supported_groups without key_share (or the reverse) is
//    missing_extension, not a reason for a HelloRetryRequest; a key_share
//    that is present but has no share for a group we support still gets an
//    HRR (§4.1.4, §4.2.8).
//  - §4.2.11: of several offered identities the server uses the first it
//    knows (OpenSSL's order), checks that identity's binder, and says which
//    one in selected_identity. With the pskCallback asynchronous too.
//  - PSKs from a pskCallback are SHA-256 PSKs in node:tls (OpenSSL builds
//    their session with TLS_AES_128_GCM_SHA256): with only
//    TLS_AES_256_GCM_SHA384 a node:tls client still offers its PSK with a
//    32-byte binder, and a node:tls server cannot use it and fails with
//    handshake_failure. tlsrt does the same on the wire in both roles
//    (it used to refuse the options with "invalid connection config").
//
// The hand-built ClientHellos come from test/helpers/tamper.ts; their binders
// are computed here with node:crypto, for the PSK each identity stands for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tlsrt from '../../src/index.ts';
import { Engine } from '../../src/engine/engine.ts';
import { buildClientHello, ext, splitRecords, type HelloParts } from '../helpers/tamper.ts';
import { freePort, connectRetry, spawnPeer, waitFor, type Peer } from '../helpers/peers.ts';

const ID = 'Client_identity';
const PSK = randomBytes(32);
const OTHER_PSK = randomBytes(32);
const pub = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
const dir = mkdtempSync(join(tmpdir(), 'tlsrt-rfc-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

/** What a server answered to one ClientHello: its first record, classified. */
type Answer = { kind: 'alert'; alert: number } | { kind: 'hrr' } | { kind: 'serverHello'; selectedIdentity: number; suite: number };

function classify(rec: Buffer): Answer {
  if (rec[0] === 21) return { kind: 'alert', alert: rec[6] };
  assert.equal(rec[0], 22, 'a handshake record');
  assert.equal(rec[5], 2, 'a ServerHello');
  if (rec.subarray(11, 43).toString('hex') === HRR_RANDOM) return { kind: 'hrr' };
  // ServerHello: find pre_shared_key (41) among its extensions.
  let i = 5 + 4 + 2 + 32;
  i += 1 + rec[i];
  const suite = rec.readUInt16BE(i);
  i += 3;
  const end = i + 2 + rec.readUInt16BE(i);
  for (i += 2; i + 4 <= end; i += 4 + rec.readUInt16BE(i + 2)) {
    if (rec.readUInt16BE(i) === 41) return { kind: 'serverHello', selectedIdentity: rec.readUInt16BE(i + 4), suite };
  }
  throw new Error('ServerHello without pre_shared_key');
}

/** Sends one raw ClientHello record to 127.0.0.1:port and returns the server's first record. */
async function probe(port: number, hello: Buffer): Promise<Answer> {
  const s = await connectRetry(port);
  try {
    let buf = Buffer.alloc(0);
    const first = await new Promise<Buffer>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no answer to the ClientHello')), 10000);
      s.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        const { records } = splitRecords(buf);
        if (records.length) {
          clearTimeout(t);
          resolve(records[0]);
        }
      });
      s.on('close', () => reject(new Error(`closed after ${buf.length} bytes`)));
      s.on('error', () => {});
      s.write(hello);
    });
    return classify(first);
  } finally {
    s.destroy();
  }
}

/** The three servers, each knowing ID -> PSK only. tlsrt's pskCallback answers asynchronously. */
async function servers() {
  const asked: string[] = [];
  const rt = tlsrt.createServer({
    pskCallback: async (_s: unknown, id: string) => {
      asked.push(id);
      await new Promise((r) => setImmediate(r));
      return id === ID ? PSK : null;
    },
  } as never);
  const node = tls.createServer({ pskCallback: (_s, id) => (id === ID ? PSK : null) });
  for (const s of [rt, node] as net.Server[]) {
    s.on('tlsClientError', () => {});
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  }
  const osslPort = await freePort();
  const ossl = spawnPeer('openssl', ['s_server', '-nocert', '-accept', `127.0.0.1:${osslPort}`, '-psk', PSK.toString('hex'), '-psk_identity', ID]);
  const port = (s: net.Server) => (s.address() as net.AddressInfo).port;
  return {
    asked,
    ports: { tlsrt: port(rt as unknown as net.Server), node: port(node), openssl: osslPort },
    async close() {
      rt.close();
      node.close();
      await ossl.kill();
    },
  };
}

const base = (): HelloParts['extensions'] => [ext.versions(0x0304), ext.modes(1), ext.groups(0x001d), ext.keyShare(pub)];

test('RFC 8446 §9.2 and §4.2.11 on hand-built ClientHellos: tlsrt answers as node:tls and openssl s_server do', async () => {
  const srv = await servers();
  try {
    const cases: { name: string; hello: Partial<HelloParts>; want: Answer; asked?: string[] }[] = [
      {
        name: 'psk_dhe_ke with supported_groups and no key_share',
        hello: { extensions: [ext.versions(0x0304), ext.modes(1), ext.groups(0x001d)] },
        want: { kind: 'alert', alert: 109 },
      },
      {
        name: 'psk_ke and psk_dhe_ke with supported_groups and no key_share',
        hello: { extensions: [ext.versions(0x0304), ext.modes(1, 0), ext.groups(0x001d)] },
        want: { kind: 'alert', alert: 109 },
      },
      {
        name: 'key_share without supported_groups',
        hello: { extensions: [ext.versions(0x0304), ext.modes(1), ext.keyShare(pub)] },
        want: { kind: 'alert', alert: 109 },
      },
      {
        name: 'an empty key_share next to supported_groups: HelloRetryRequest',
        hello: { extensions: [ext.versions(0x0304), ext.modes(1), ext.groups(0x001d), ext.raw(51, Buffer.from([0, 0]))] },
        want: { kind: 'hrr' },
      },
      {
        // (A GREASE group, RFC 8701: no server knows it. A P-256 share would do for tlsrt, which
        // implements X25519 only, but OpenSSL would validate and use it.)
        name: 'a key_share for an unknown group only: HelloRetryRequest',
        hello: { extensions: [ext.versions(0x0304), ext.modes(1), ext.groups(0x0a0a, 0x001d), ext.keyShare(Buffer.from([0]), 0x0a0a)] },
        want: { kind: 'hrr' },
      },
      {
        name: 'two identities, the known one second',
        hello: { identity: Buffer.from('nobody'), moreIdentities: [Buffer.from(ID)], psks: [OTHER_PSK, PSK], extensions: base() },
        want: { kind: 'serverHello', selectedIdentity: 1, suite: 0x1301 },
        asked: ['nobody', ID],
      },
      {
        name: 'three identities, the known one third',
        hello: {
          identity: Buffer.from('a'), moreIdentities: [Buffer.from('b'), Buffer.from(ID)], psks: [OTHER_PSK, OTHER_PSK, PSK], extensions: base(),
        },
        want: { kind: 'serverHello', selectedIdentity: 2, suite: 0x1301 },
        asked: ['a', 'b', ID],
      },
      {
        name: 'the known identity first, another after it',
        hello: { moreIdentities: [Buffer.from('later')], psks: [PSK, OTHER_PSK], extensions: base() },
        want: { kind: 'serverHello', selectedIdentity: 0, suite: 0x1301 },
        asked: [ID],
      },
    ];
    for (const c of cases) {
      const hello = buildClientHello({ psk: PSK, identity: Buffer.from(ID), ...c.hello } as HelloParts);
      srv.asked.length = 0;
      const got = {
        tlsrt: await probe(srv.ports.tlsrt, hello),
        node: await probe(srv.ports.node, hello),
        openssl: await probe(srv.ports.openssl, hello),
      };
      assert.deepEqual(got, { tlsrt: c.want, node: c.want, openssl: c.want }, c.name);
      if (c.asked) assert.deepEqual(srv.asked, c.asked, `${c.name}: the identities the pskCallback was asked for, in order`);
      else assert.deepEqual(srv.asked, [], `${c.name}: no identity reaches the pskCallback`);
    }

    // The binder checked is the selected identity's: a right identity with a binder made from
    // another key fails, though the identity before it carries a binder that is right for PSK.
    const badSecond = buildClientHello({
      psk: PSK, identity: Buffer.from('nobody'), moreIdentities: [Buffer.from(ID)], psks: [PSK, OTHER_PSK], extensions: base(),
    });
    srv.asked.length = 0;
    assert.deepEqual(await probe(srv.ports.tlsrt, badSecond), { kind: 'alert', alert: 51 }, 'tlsrt: decrypt_error (RFC 8446 §4.2.11)');
    assert.deepEqual(srv.asked, ['nobody', ID]);
    // OpenSSL 3.0 refuses a bad binder with illegal_parameter rather than decrypt_error.
    assert.deepEqual(await probe(srv.ports.node, badSecond), { kind: 'alert', alert: 47 });
    assert.deepEqual(await probe(srv.ports.openssl, badSecond), { kind: 'alert', alert: 47 });

    // No identity known at all: unknown_psk_identity from tlsrt; OpenSSL, finding no PSK,
    // falls back to certificates, has none and sends handshake_failure.
    const unknown = buildClientHello({ psk: PSK, identity: Buffer.from('x'), moreIdentities: [Buffer.from('y')], extensions: base() });
    srv.asked.length = 0;
    assert.deepEqual(await probe(srv.ports.tlsrt, unknown), { kind: 'alert', alert: 115 });
    assert.deepEqual(srv.asked, ['x', 'y']);
    assert.equal((await probe(srv.ports.node, unknown)).kind, 'alert');
  } finally {
    await srv.close();
  }
});

test('openssl s_client offering a session ticket and then the external PSK: the tlsrt server selects identity 1', async () => {
  // A ticket from s_server (-sess_out), offered by s_client next to -psk: its
  // ClientHello lists the ticket first and the external identity second.
  const sess = join(dir, 'ticket.pem');
  const ticketPort = await freePort();
  const issuer = spawnPeer('openssl', ['s_server', '-nocert', '-accept', `127.0.0.1:${ticketPort}`, '-psk', PSK.toString('hex'), '-psk_identity', ID, '-naccept', '1']);
  let first: Peer | undefined;
  let second: Peer | undefined;
  const seenHello: Buffer[] = [];
  const sentHello: Buffer[] = [];
  const asked: number[] = [];
  const echoed: string[] = [];
  const rt = tlsrt.createServer({
    pskCallback: (_s: unknown, id: string) => {
      asked.push(id.length);
      return id === ID ? PSK : null;
    },
  } as never, (s: import('../../src/tls/tls-socket.ts').TLSSocket) => {
    s.on('data', (d: Buffer) => echoed.push(d.toString())).pipe(s);
  });
  const rtErrors: Error[] = [];
  rt.on('tlsClientError', (e: Error) => rtErrors.push(e));
  // A TCP relay in front of the tlsrt server records the first record each way.
  const relay = net.createServer((inner) => {
    const outer = net.connect((rt.address() as net.AddressInfo).port, '127.0.0.1');
    inner.on('data', (d) => { if (!seenHello.length) seenHello.push(d); outer.write(d); });
    outer.on('data', (d) => { if (!sentHello.length) sentHello.push(d); inner.write(d); });
    inner.on('close', () => outer.destroy());
    outer.on('close', () => inner.destroy());
    inner.on('error', () => {});
    outer.on('error', () => {});
  });
  try {
    await waitFor(() => issuer.stdout().toString().includes('ACCEPT'), 's_server to listen');
    first = spawnPeer('openssl', ['s_client', '-connect', `127.0.0.1:${ticketPort}`, '-psk', PSK.toString('hex'), '-psk_identity', ID, '-sess_out', sess, '-ign_eof']);
    // s_client writes -sess_out when the NewSessionTicket arrives, after the handshake.
    await waitFor(() => existsSync(sess) && readFileSync(sess, 'latin1').includes('END SSL SESSION PARAMETERS'), 's_client to store a ticket')
      .catch((e) => { throw new Error(`${e.message}; s_client said: ${first!.stdout()}${first!.stderr()}; s_server: ${issuer.stderr()}`); });
    await first.kill();
    await new Promise<void>((r) => rt.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    second = spawnPeer('openssl', [
      's_client', '-connect', `127.0.0.1:${(relay.address() as net.AddressInfo).port}`, '-sess_in', sess,
      '-psk', PSK.toString('hex'), '-psk_identity', ID, '-ign_eof',
    ]);
    second.proc.stdin!.write('over the second identity\n');
    await waitFor(() => echoed.join('').includes('over the second identity') && second!.stdout().toString().includes('over the second identity'),
      'the echo through the tlsrt server');
    assert.deepEqual(rtErrors, []);
    // The ClientHello really offered two identities, the ticket (long) first.
    const ch = seenHello[0];
    const ids = pskIdentities(ch);
    assert.equal(ids.length, 2, 'two identities offered');
    assert.ok(ids[0].length > 128, 'the first is the session ticket');
    assert.equal(ids[1].toString(), ID);
    // A ticket longer than the engine's 128-byte identity limit is not offered to the callback.
    assert.deepEqual(asked, [ID.length]);
    assert.equal(classify(splitRecords(sentHello[0]).records[0]).kind, 'serverHello');
    assert.equal((classify(splitRecords(sentHello[0]).records[0]) as { selectedIdentity: number }).selectedIdentity, 1);
    assert.match(second.stdout().toString(), /Reused, TLSv1\.3/);
  } finally {
    second?.proc.stdin!.end();
    await Promise.all([issuer.kill(), first?.kill(), second?.kill()]);
    rt.close();
    relay.close();
  }
});

/** The identities of a ClientHello record's pre_shared_key extension. */
function pskIdentities(rec: Buffer): Buffer[] {
  let i = 5 + 4 + 2 + 32;
  i += 1 + rec[i];
  i += 2 + rec.readUInt16BE(i);
  i += 1 + rec[i];
  const end = i + 2 + rec.readUInt16BE(i);
  for (i += 2; i + 4 <= end; i += 4 + rec.readUInt16BE(i + 2)) {
    if (rec.readUInt16BE(i) !== 41) continue;
    const out: Buffer[] = [];
    const idsEnd = i + 6 + rec.readUInt16BE(i + 4);
    for (let j = i + 6; j < idsEnd; j += 2 + rec.readUInt16BE(j) + 4) out.push(rec.subarray(j + 2, j + 2 + rec.readUInt16BE(j)));
    return out;
  }
  return [];
}

// ---------- TLS_AES_256_GCM_SHA384 with a pskCallback ----------

const SHA384_ONLY = 'TLS_AES_256_GCM_SHA384';

/** Suites and PSK binder lengths of a ClientHello record. */
function helloOffer(rec: Buffer): { suites: number[]; binders: number[]; identities: string[] } {
  let i = 5 + 4 + 2 + 32;
  i += 1 + rec[i];
  const n = rec.readUInt16BE(i);
  const suites: number[] = [];
  for (let j = 0; j < n; j += 2) suites.push(rec.readUInt16BE(i + 2 + j));
  i += 2 + n;
  i += 1 + rec[i];
  const end = i + 2 + rec.readUInt16BE(i);
  for (i += 2; i + 4 <= end; i += 4 + rec.readUInt16BE(i + 2)) {
    if (rec.readUInt16BE(i) !== 41) continue;
    const idsEnd = i + 6 + rec.readUInt16BE(i + 4);
    const binders: number[] = [];
    for (let j = idsEnd + 2; j < i + 4 + rec.readUInt16BE(i + 2); j += 1 + rec[j]) binders.push(rec[j]);
    return { suites, binders, identities: pskIdentities(rec).map((b) => b.toString()) };
  }
  return { suites, binders: [], identities: [] };
}

/** The ClientHello a client sends: a TCP listener takes the first record and hangs up. */
async function capturedHello(connect: (port: number) => { on(ev: string, f: (...a: unknown[]) => void): unknown; destroy(): void }): Promise<Buffer> {
  let got: (b: Buffer) => void;
  const hello = new Promise<Buffer>((r) => (got = r));
  const srv = net.createServer((s) => {
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const { records } = splitRecords(buf);
      if (records.length) {
        got(records[0]);
        s.destroy();
      }
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const c = connect((srv.address() as net.AddressInfo).port);
  c.on('error', () => {});
  try {
    return await hello;
  } finally {
    c.destroy();
    srv.close();
  }
}

const clientOpts = (ciphers?: string) => ({
  host: '127.0.0.1', ciphers, checkServerIdentity: () => undefined, pskCallback: () => ({ psk: PSK, identity: ID }),
});

test('a pskCallback PSK is a SHA-256 PSK: tlsrt clients offer what node:tls clients offer, for every cipher list', async () => {
  for (const ciphers of [SHA384_ONLY, 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256', undefined]) {
    const node = helloOffer(await capturedHello((port) => tls.connect({ port, ...clientOpts(ciphers) })));
    const rt = helloOffer(await capturedHello((port) => tlsrt.connect({ port, ...clientOpts(ciphers) } as never) as never));
    const tls13 = (s: number[]) => s.filter((x) => x >> 8 === 0x13); // node also lists its TLS 1.2 suites
    assert.deepEqual(tls13(rt.suites), tls13(node.suites), `${ciphers ?? 'default ciphers'}: the TLS 1.3 suites offered`);
    assert.deepEqual(rt.suites, tls13(rt.suites), 'tlsrt offers TLS 1.3 suites only');
    assert.deepEqual({ binders: rt.binders, identities: rt.identities }, { binders: [32], identities: [ID] }, 'one identity with a SHA-256 binder');
    assert.deepEqual({ binders: node.binders, identities: node.identities }, { binders: [32], identities: [ID] });
  }
});

/** Runs one client against one server; what each side reported. */
async function pair(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  server: { listen(p: number, h: string, cb: () => void): unknown; address(): unknown; close(): unknown; on(ev: string, f: (...a: any[]) => void): unknown },
  connect: (port: number) => tls.TLSSocket,
): Promise<{ client: string; server: string }> {
  let serverSaw = '';
  server.on('tlsClientError', (e: Error & { code?: string }) => (serverSaw ||= `error:${e.code ?? e.message}`));
  server.on('secureConnection', (s: tls.TLSSocket) => {
    serverSaw ||= `secure:${s.getCipher()?.standardName ?? s.getCipher()?.name}`;
    s.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const c = connect((server.address() as net.AddressInfo).port);
    const client = await new Promise<string>((resolve) => {
      c.once('secureConnect', () => resolve(`secure:${c.getCipher()?.standardName ?? c.getCipher()?.name}`));
      c.once('error', (e: Error & { code?: string }) => resolve(`error:${e.code ?? e.message}`));
    });
    await waitFor(() => serverSaw !== '', 'the server side to finish');
    c.destroy();
    return { client, server: serverSaw };
  } finally {
    server.close();
  }
}

test('TLS_AES_256_GCM_SHA384 with a pskCallback fails as in node:tls, in both roles; next to a SHA-256 suite the server picks that one', async () => {
  const serverOpts = (ciphers: string) => ({ ciphers, pskCallback: (_s: unknown, id: string) => (id === ID ? PSK : null) });
  const nodeServer = (c: string) => tls.createServer(serverOpts(c));
  const rtServer = (c: string) => tlsrt.createServer(serverOpts(c) as never) as never;
  const nodeClient = (c: string) => (port: number) => tls.connect({ port, ...clientOpts(c) });
  const rtClient = (c: string) => (port: number) => tlsrt.connect({ port, ...clientOpts(c) } as never) as never as tls.TLSSocket;

  // node:tls against itself: the reference. The server finds the key, cannot use a SHA-256 PSK
  // with the only suite, falls back to certificates and has none: handshake_failure.
  const ref = await pair(nodeServer(SHA384_ONLY), nodeClient(SHA384_ONLY));
  assert.deepEqual(ref, { client: 'error:ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', server: 'error:ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM' });
  // tlsrt in either role gives the client the same alert. (tlsrt's server reports its own
  // reason, no shared cipher: it has no certificate path to fall back to.)
  const rtServes = await pair(rtServer(SHA384_ONLY), nodeClient(SHA384_ONLY));
  assert.deepEqual(rtServes, { client: ref.client, server: 'error:ERR_SSL_NO_SHARED_CIPHER' });
  // The tlsrt client's ClientHello is the node client's in suites and PSK (the test above), but
  // it sends no signature_algorithms (it cannot verify a certificate): the node server, having
  // dropped the PSK, then stops one step earlier, with missing_extension.
  const rtConnects = await pair(nodeServer(SHA384_ONLY), rtClient(SHA384_ONLY));
  assert.deepEqual(rtConnects, { client: 'error:ERR_SSL_TLSV13_ALERT_MISSING_EXTENSION', server: 'error:ERR_SSL_MISSING_SIGALGS_EXTENSION' });
  assert.deepEqual(await pair(rtServer(SHA384_ONLY), rtClient(SHA384_ONLY)), rtServes);

  // Offered next to a SHA-256 suite (the SHA-384 one first), every pairing settles on the SHA-256 one.
  const both = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256';
  const ok = { client: 'secure:TLS_AES_128_GCM_SHA256', server: 'secure:TLS_AES_128_GCM_SHA256' };
  assert.deepEqual(await pair(nodeServer(both), nodeClient(both)), ok);
  assert.deepEqual(await pair(rtServer(both), nodeClient(both)), ok);
  assert.deepEqual(await pair(nodeServer(both), rtClient(both)), ok);
});

test('TLS_AES_256_GCM_SHA384 with -psk: openssl s_client fails against the tlsrt server as against s_server', async () => {
  const rt = tlsrt.createServer({ ciphers: SHA384_ONLY, pskCallback: (_s: unknown, id: string) => (id === ID ? PSK : null) } as never);
  const errors: string[] = [];
  rt.on('tlsClientError', (e: Error & { code?: string }) => errors.push(e.code ?? e.message));
  await new Promise<void>((r) => rt.listen(0, '127.0.0.1', r));
  const sPort = await freePort();
  const ref = spawnPeer('openssl', ['s_server', '-nocert', '-accept', `127.0.0.1:${sPort}`, '-ciphersuites', SHA384_ONLY, '-psk', PSK.toString('hex'), '-psk_identity', ID]);
  const clients: Peer[] = [];
  try {
    await waitFor(() => ref.stdout().toString().includes('ACCEPT'), 's_server to listen');
    const run = async (port: number) => {
      const c = spawnPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-ciphersuites', SHA384_ONLY, '-psk', PSK.toString('hex'), '-psk_identity', ID]);
      clients.push(c);
      c.proc.stdin!.end();
      await c.exited;
      return /alert handshake failure/.test(c.stderr()) ? 'handshake_failure' : c.stderr();
    };
    assert.equal(await run(sPort), 'handshake_failure', 'the reference: s_client -> s_server');
    assert.equal(await run((rt.address() as net.AddressInfo).port), 'handshake_failure', 's_client -> tlsrt server');
    await waitFor(() => errors.length > 0, 'the tlsrt server to report');
    assert.deepEqual(errors, ['ERR_SSL_NO_SHARED_CIPHER']);
  } finally {
    await Promise.all([ref.kill(), ...clients.map((c) => c.kill())]);
    rt.close();
  }
});

// ---------- the engine ABI: CLIENT_HELLO identities and HR_PSK_INDEX ----------

test('engine ABI: CLIENT_HELLO lists the usable identities in order; hello_reply names one by index', () => {
  const e = new Engine({ slots: 2 });
  const long = Buffer.alloc(129, 0x61); // over the 128-byte identity limit: not offered to the host
  const open = () => e.open('server', {});
  const hello = buildClientHello({
    psk: PSK, identity: long, moreIdentities: [Buffer.from('nobody'), Buffer.from(ID)], psks: [OTHER_PSK, OTHER_PSK, PSK], extensions: base(),
  });
  const helloOf = (c: ReturnType<typeof open>) => {
    c.feed(hello);
    const ev = c.events().find((v) => v.kind === 'clientHello');
    assert.ok(ev && ev.kind === 'clientHello');
    return ev;
  };

  const c = open();
  const ev = helloOf(c);
  assert.deepEqual(ev.identities.map(String), ['nobody', ID]);
  assert.equal(String(ev.identity), 'nobody', 'identity is the first');
  c.helloReply({ psk: PSK, index: 1 });
  assert.equal(c.failure, undefined);
  assert.equal(String(c.identity), ID, 'the chosen identity is the connection\'s');
  const sh = splitRecords(c.takeOutput()!).records[0];
  // selected_identity counts the client's list, the skipped long identity included.
  assert.deepEqual(classify(sh), { kind: 'serverHello', selectedIdentity: 2, suite: 0x1301 });
  c.close();

  // The key for index 0 ("nobody") against that identity's binder (made with another key): decrypt_error.
  const c2 = open();
  helloOf(c2);
  c2.helloReply({ psk: PSK });
  assert.deepEqual(c2.failure, { reason: 'binder_mismatch', alert: 51, local: true });
  c2.close();

  // A static server PSK (in the config): the engine picks the identity equal to it, asking no one.
  const c4 = e.open('server', { pskIdentity: Buffer.from(ID), psk: PSK });
  c4.feed(hello);
  assert.ok(!c4.events().some((v) => v.kind === 'clientHello'), 'no CLIENT_HELLO event');
  assert.equal(c4.failure, undefined);
  assert.deepEqual(classify(splitRecords(c4.takeOutput()!).records[0]), { kind: 'serverHello', selectedIdentity: 2, suite: 0x1301 });
  c4.close();

  // An index the event did not list is the host's mistake: internal_error, never a trap.
  const c3 = open();
  helloOf(c3);
  c3.helloReply({ psk: PSK, index: 2 });
  assert.deepEqual(c3.failure, { reason: 'internal', alert: 80, local: true });
  c3.close();
});
