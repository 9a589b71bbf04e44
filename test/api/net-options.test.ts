// net-level options and the `server` option, tlsrt against node:tls: each
// test runs the same script with node:tls and with tlsrt and checks both
// give what the Node docs describe. Modelled on Node's own
// test-tls-connect-hints-option, test-tls-connect-lookup (custom lookup),
// test-tls-connect-timeout-option, test-tls-wrap-econnreset-socket /
// test-tls-socket-constructor-alpn-options (a TLSSocket over an accepted
// net.Socket) and test-tls-server-parent-constructor-options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dns from 'node:dns';
import nodeTls from 'node:tls';
import { PSK, ID, LIBS, type LibName } from '../helpers/scenario.ts';

const T = { timeout: 30000 }; // hang guard only
const BOTH: LibName[] = ['node', 'tlsrt'];
const psk = () => ({ psk: PSK, identity: ID });

/** Tracks a net.Server's connections so closing it does not wait on a socket nobody reads. */
function tracked<S extends net.Server>(server: S): S & { closeAll: () => Promise<void> } {
  const conns = new Set<net.Socket>();
  server.on('connection', (c: net.Socket) => {
    conns.add(c);
    c.on('close', () => conns.delete(c));
  });
  return Object.assign(server, {
    closeAll: () => new Promise<void>((r) => {
      server.close(() => r());
      for (const c of conns) c.destroy();
    }),
  });
}

async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = nodeTls.createServer({ pskCallback: () => PSK }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

function roundTrip(s: nodeTls.TLSSocket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    s.on('error', reject);
    s.once('secureConnect', () => s.end(text));
    s.on('data', (d) => (got += d));
    s.on('end', () => resolve(got));
  });
}

test('connect({ lookup, hints, family }): the lookup is asked for the host with the hints, and its address is used', T, async () => {
  const srv = await echoServer();
  try {
    for (const lib of BOTH) {
      const asked: unknown[] = [];
      const lookup = (host: string, opts: dns.LookupOptions, cb: (...a: unknown[]) => void) => {
        asked.push(host, opts.hints, opts.family);
        if (opts.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
        else cb(null, '127.0.0.1', 4);
      };
      const s = LIBS[lib].connect({ host: 'device.invalid', port: srv.port, lookup, hints: dns.ADDRCONFIG, family: 4, pskCallback: psk } as never);
      let remote: string | undefined;
      s.once('secureConnect', () => (remote = s.remoteAddress));
      assert.equal(await roundTrip(s, `via lookup ${lib}`), `via lookup ${lib}`, lib);
      assert.deepEqual(asked, ['device.invalid', dns.ADDRCONFIG, 4], lib);
      assert.equal(remote, '127.0.0.1', lib);
    }
  } finally {
    await srv.close();
  }
});

test('connect(port, host, options, cb) and connect(port, options): the forms node:tls accepts; options.host wins over the host argument', T, async () => {
  const srv = await echoServer();
  try {
    for (const lib of BOTH) {
      const a = await new Promise<nodeTls.TLSSocket>((resolve) => {
        const s: nodeTls.TLSSocket = LIBS[lib].connect(srv.port, 'no-such-host.invalid', { host: '127.0.0.1', pskCallback: psk }, () => resolve(s));
      });
      assert.equal(a.remoteAddress, '127.0.0.1', lib);
      a.destroy();
      const b = LIBS[lib].connect(srv.port, { host: '127.0.0.1', pskCallback: psk } as never);
      assert.equal(await roundTrip(b, 'two'), 'two', lib);
    }
  } finally {
    await srv.close();
  }
});

test('connect({ localAddress, timeout }): the local address is bound; timeout sets socket.timeout and emits \'timeout\' when idle', T, async () => {
  // A TCP server that accepts and never answers: the client's handshake idles.
  const silent = tracked(net.createServer(() => {}));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    for (const lib of BOTH) {
      const s = LIBS[lib].connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1', timeout: 40, pskCallback: psk });
      s.on('error', () => {});
      assert.equal(s.timeout, 40, lib);
      await new Promise<void>((r) => s.once('timeout', r));
      assert.equal(s.localAddress, '127.0.0.1', lib);
      s.destroy();
    }
  } finally {
    await silent.closeAll();
  }
});

test('new TLSSocket(accepted net.Socket, { isServer, server, pskCallback }) from a plain net.Server: the handshake starts, the socket reports on itself', T, async () => {
  for (const lib of BOTH) {
    for (const halfOpen of [false, true]) {
      const seen: string[] = [];
      let serverSocket: nodeTls.TLSSocket | undefined;
      const netServer: net.Server = tracked(net.createServer({ allowHalfOpen: halfOpen }, (raw) => {
        const s = new LIBS[lib].TLSSocket(raw, { isServer: true, server: netServer, pskCallback: (_s: unknown, id: string) => (id === ID ? PSK : null) } as never);
        serverSocket = s;
        s.on('secure', () => seen.push('secure'));
        s.on('error', (e) => seen.push(`error:${(e as Error & { code?: string }).code}`));
        s.pipe(s);
      }));
      netServer.on('secureConnection', () => seen.push('server secureConnection'));
      netServer.on('tlsClientError', () => seen.push('server tlsClientError'));
      await new Promise<void>((r) => netServer.listen(0, '127.0.0.1', r));
      const port = (netServer.address() as net.AddressInfo).port;
      try {
        for (const cli of BOTH) {
          const c = LIBS[cli].connect({ port, host: '127.0.0.1', pskCallback: psk });
          assert.equal(await roundTrip(c, `hello ${lib}`), `hello ${lib}`, `${lib} server, ${cli} client`);
          assert.equal(serverSocket!.server, netServer, `${lib}: socket.server`);
          assert.equal(serverSocket!.allowHalfOpen, halfOpen, `${lib}: allowHalfOpen follows the accepted socket`);
        }
        assert.deepEqual(seen, ['secure', 'secure'], `${lib}: events`);
      } finally {
        await (netServer as ReturnType<typeof tracked>).closeAll();
      }
    }
  }
});

test('createServer({ allowHalfOpen }): the accepted TLS sockets get the server\'s setting', T, async () => {
  for (const lib of BOTH) {
    for (const halfOpen of [false, true]) {
      const server = tracked(LIBS[lib].createServer({ pskCallback: () => PSK, allowHalfOpen: halfOpen } as never));
      const got = new Promise<boolean>((resolve) => server.once('secureConnection', (s) => {
        resolve(s.allowHalfOpen);
        s.end();
      }));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const c = LIBS[lib].connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', pskCallback: psk });
        c.on('error', () => {});
        c.resume();
        assert.equal(await got, halfOpen, `${lib} allowHalfOpen ${halfOpen}`);
        c.destroy();
      } finally {
        await server.closeAll();
      }
    }
  }
});

/** net.Socket's record of what setNoDelay/setKeepAlive asked for (internal symbols, read for the test only). */
function netFlags(raw: net.Socket): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const sym of Object.getOwnPropertySymbols(raw)) {
    const name = sym.description ?? '';
    if (name === 'kSetNoDelay' || name === 'kSetKeepAlive') out[name] = (raw as unknown as Record<symbol, unknown>)[sym];
  }
  return out;
}

test('createServer({ noDelay, keepAlive }) reach the accepted TCP sockets, as node:tls', T, async () => {
  for (const lib of BOTH) {
    const server = tracked(LIBS[lib].createServer({ pskCallback: () => PSK, noDelay: true, keepAlive: true } as never));
    let raw: net.Socket | undefined;
    server.on('connection', (c: net.Socket) => (raw = c));
    const accepted = new Promise<void>((r) => server.once('secureConnection', (s) => {
      s.end();
      r();
    }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = LIBS[lib].connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', noDelay: true, keepAlive: true, pskCallback: psk } as never);
      c.on('error', () => {});
      c.resume();
      await accepted;
      assert.deepEqual(netFlags(raw!), { kSetNoDelay: true, kSetKeepAlive: true }, `${lib}: server side`);
      c.destroy();
    } finally {
      await server.closeAll();
    }
  }
});

test('connect({ onread }): the plaintext goes to the callback, a buffer-full at a time, never to \'data\' (static and generated buffers)', T, async () => {
  const payload = Buffer.alloc(10000);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
  const server = nodeTls.createServer({ pskCallback: () => PSK }, (s) => s.end(payload));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    for (const lib of BOTH) {
      for (const form of ['static', 'function']) {
        const chunks: Buffer[] = [];
        let dataEvents = 0;
        const fixed = Buffer.alloc(1000);
        const onread = {
          buffer: form === 'static' ? fixed : () => Buffer.alloc(700),
          callback: (n: number, buf: Buffer) => {
            assert.ok(n > 0 && n <= buf.length, `${lib}/${form}: chunk of ${n}`);
            if (form === 'static') assert.equal(buf, fixed);
            chunks.push(Buffer.from(buf.subarray(0, n)));
          },
        };
        const c = LIBS[lib].connect({ port, host: '127.0.0.1', pskCallback: psk, onread } as never);
        c.on('data', () => dataEvents++);
        await new Promise<void>((resolve, reject) => {
          c.on('error', reject);
          c.on('end', () => resolve());
        });
        c.destroy();
        assert.ok(Buffer.concat(chunks).equals(payload), `${lib}/${form}: the bytes`);
        assert.equal(dataEvents, 0, `${lib}/${form}: no 'data' events`);
      }
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('connect({ signal }): aborting it (before or during the handshake) destroys the socket with an AbortError', T, async () => {
  const srv = await echoServer();
  try {
    for (const lib of BOTH) {
      for (const when of ['before', 'during']) {
        const ac = new AbortController();
        if (when === 'before') ac.abort();
        const s = LIBS[lib].connect({ port: srv.port, host: '127.0.0.1', signal: ac.signal, pskCallback: psk });
        const events: string[] = [];
        s.on('secureConnect', () => events.push('secureConnect'));
        s.on('error', (e) => events.push(`error:${e.name}:${(e as Error & { code?: string }).code}`));
        if (when === 'during') s.once('connect', () => ac.abort());
        await new Promise<void>((r) => s.on('close', () => r()));
        assert.deepEqual(events, ['error:AbortError:ABORT_ERR'], `${lib}, aborted ${when}`);
      }
    }
  } finally {
    await srv.close();
  }
});

test('a client emits \'secure\' after \'secureConnect\', and secureConnecting turns false, as node:tls', T, async () => {
  const srv = await echoServer();
  try {
    for (const lib of BOTH) {
      const events: string[] = [];
      const s = LIBS[lib].connect({ port: srv.port, host: '127.0.0.1', pskCallback: psk });
      assert.equal(s.secureConnecting, true, `${lib}: secureConnecting before`);
      s.on('secure', () => events.push('secure'));
      s.on('secureConnect', () => events.push(`secureConnect:${s.secureConnecting}`));
      await roundTrip(s, 'x');
      assert.deepEqual(events, ['secureConnect:false', 'secure'], lib);
    }
  } finally {
    await srv.close();
  }
});

test('createServer({ pauseOnConnect }): the handshake still completes; the TLS socket starts paused until resume()', T, async () => {
  for (const lib of BOTH) {
    const events: string[] = [];
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const server = tracked(LIBS[lib].createServer({ pskCallback: () => PSK, pauseOnConnect: true } as never, (s) => {
      events.push(`secureConnection paused=${s.isPaused()}`);
      s.on('data', (d) => {
        events.push(`data:${d}`);
        s.end();
      });
      // Resume once the client has written: what it wrote arrives only then.
      written.then(() => {
        events.push('resume');
        s.resume();
      });
    }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = LIBS[lib].connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', pskCallback: psk });
    try {
      await new Promise<void>((resolve, reject) => {
        c.on('error', reject);
        c.once('secureConnect', () => c.write('hello', () => wrote()));
        c.resume();
        c.on('end', () => resolve());
      });
      assert.deepEqual(events, ['secureConnection paused=true', 'resume', 'data:hello'], lib);
    } finally {
      c.destroy();
      await server.closeAll();
    }
  }
});
