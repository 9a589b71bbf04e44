// User callbacks that throw or return what node:tls refuses, tlsrt against
// node:tls. Modelled on Node's own test-tls-psk-errors, test-tls-alpn-server-
// client (ALPNCallback results), test-tls-sni-server-client and
// test-tls-psk-server: every case runs with node:tls and with tlsrt as the
// library whose callback misbehaves, against a peer of either library. Each
// case states what node:tls does (node:tls must do it — a case it fails is a
// wrong case) and tlsrt must do the same, unless the case names the
// difference and why. After every misbehaving connection a well-behaved
// client connects to the same server: the server must keep serving.
//
// What node:tls does, read from lib/_tls_wrap.js and checked here:
// - server pskCallback / ALPNCallback / SNICallback: a throw, or a result
//   node refuses, destroys that socket with the error; the tls.Server emits
//   it as 'tlsClientError' (the very error object thrown); the client sees
//   the TCP connection close (ECONNRESET) — no alert is sent.
// - client pskCallback: the same error as the client socket's 'error'.
// - checkServerIdentity: never called for a PSK connection (node:tls skips it
//   for resumed sessions, and OpenSSL counts a PSK handshake as one).
// Listeners that throw ('secureConnection', 'keylog', 'secureConnect') are
// uncaught exceptions in node:tls too: see throwing-listeners.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { PSK, ID, LIBS, type LibName } from '../helpers/scenario.ts';

const T = { timeout: 30000 }; // hang guard only
const SUITE = 'TLS_AES_128_GCM_SHA256';

interface ErrSpec {
  name?: string;
  code?: string;
  message?: string | RegExp;
  /** The error must be the very object the callback threw. */
  same?: boolean;
}

interface Outcome {
  /** 'secure' or the error the misbehaving side reported. */
  result: 'secure' | ErrSpec;
  /** What the well-behaved peer saw ('secure' or its error code). */
  peer: string;
}

interface Case {
  name: string;
  /** Which side's callback misbehaves. */
  side: 'server' | 'client';
  /** Options for the misbehaving side; `thrown` receives what the callback threw. */
  options: (thrown: { err?: Error }) => Record<string, unknown>;
  /** node:tls's outcome, asserted for node:tls and (unless `tlsrt` says otherwise) for tlsrt. */
  node: Outcome;
  /** tlsrt's outcome where it deliberately differs, and why. */
  tlsrt?: Outcome & { why: string };
}

const boom = (thrown: { err?: Error }, what: string) => () => {
  thrown.err = new Error(`${what} boom`);
  throw thrown.err;
};
const RESET = 'ECONNRESET';

const CASES: Case[] = [
  // ---- server pskCallback ----
  { name: 'server pskCallback throws', side: 'server', options: (t) => ({ pskCallback: boom(t, 'psk') }), node: { result: { same: true, message: 'psk boom' }, peer: RESET } },
  {
    name: 'server pskCallback returns a number', side: 'server', options: () => ({ pskCallback: () => 5 }),
    node: { result: { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "ret" argument must be an instance of Buffer, TypedArray, DataView, or Object. Received type number (5)' }, peer: RESET },
  },
  {
    name: 'server pskCallback returns a string', side: 'server', options: () => ({ pskCallback: () => 'secret' }),
    node: { result: { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /Received type string \('secret'\)$/ }, peer: RESET },
  },
  {
    name: 'server pskCallback returns { psk: 1 }', side: 'server', options: () => ({ pskCallback: () => ({ psk: 1 }) }),
    node: { result: { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "psk" argument must be an instance of Buffer, TypedArray, or DataView. Received type number (1)' }, peer: RESET },
  },
  { name: 'server pskCallback returns { psk } (accepted)', side: 'server', options: () => ({ pskCallback: () => ({ psk: PSK }) }), node: { result: 'secure', peer: 'secure' } },
  {
    name: 'server pskCallback returns a 513-byte key', side: 'server', options: () => ({ pskCallback: () => Buffer.alloc(513, 1) }),
    node: { result: { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: /^The argument 'psk' Pre-shared key exceeds 512 bytes\. Received <Buffer 01 01/ }, peer: RESET },
  },
  {
    name: 'server pskCallback returns a Promise of the key', side: 'server', options: () => ({ pskCallback: () => Promise.resolve(PSK) }),
    node: { result: { code: 'ERR_INVALID_ARG_TYPE', message: 'The "psk" argument must be an instance of Buffer, TypedArray, or DataView. Received undefined' }, peer: RESET },
    tlsrt: { result: 'secure', peer: 'secure', why: 'tlsrt awaits a Promise (an asynchronous key lookup, e.g. from a device database); node:tls only takes a key' },
  },
  {
    name: 'server pskCallback returns a rejected Promise', side: 'server',
    options: (t) => ({
      pskCallback: () => {
        const p = Promise.reject((t.err = new Error('lookup failed')));
        p.catch(() => {}); // node:tls never looks at it: keep it from being an unhandled rejection there
        return p;
      },
    }),
    node: { result: { code: 'ERR_INVALID_ARG_TYPE' }, peer: RESET },
    tlsrt: { result: { same: true, message: 'lookup failed' }, peer: RESET, why: 'tlsrt awaits the Promise; its rejection is the handshake\'s error' },
  },
  {
    name: 'server pskCallback returns a Promise of a number', side: 'server', options: () => ({ pskCallback: () => Promise.resolve(5) }),
    node: { result: { code: 'ERR_INVALID_ARG_TYPE', message: 'The "psk" argument must be an instance of Buffer, TypedArray, or DataView. Received undefined' }, peer: RESET },
    tlsrt: {
      result: { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "ret" argument must be an instance of Buffer, TypedArray, DataView, or Object. Received type number (5)' }, peer: RESET,
      why: 'tlsrt awaits the Promise, then checks what it resolved to as node:tls checks a returned value',
    },
  },
  // ---- ALPNCallback ----
  { name: 'ALPNCallback throws', side: 'server', options: (t) => ({ ALPNCallback: boom(t, 'alpn') }), node: { result: { same: true, message: 'alpn boom' }, peer: RESET } },
  {
    name: 'ALPNCallback returns a protocol the client did not offer', side: 'server', options: () => ({ ALPNCallback: () => 'zz' }),
    node: { result: { name: 'TypeError', code: 'ERR_TLS_ALPN_CALLBACK_INVALID_RESULT', message: "ALPN callback returned a value (zz) that did not match any of the client's offered protocols (a, b)" }, peer: RESET },
  },
  {
    name: 'ALPNCallback returns a number', side: 'server', options: () => ({ ALPNCallback: () => 5 }),
    node: { result: { code: 'ERR_TLS_ALPN_CALLBACK_INVALID_RESULT', message: /returned a value \(5\)/ }, peer: RESET },
  },
  {
    name: 'ALPNCallback returns undefined (refuses every protocol)', side: 'server', options: () => ({ ALPNCallback: () => undefined }),
    node: { result: { code: 'ERR_SSL_NO_APPLICATION_PROTOCOL' }, peer: 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' },
  },
  // ---- SNICallback ----
  ...([
    ['SNICallback throws', (t: { err?: Error }) => ({ SNICallback: boom(t, 'sni') })],
    ['SNICallback answers cb(err)', (t: { err?: Error }) => ({ SNICallback: (_n: string, cb: (e: Error) => void) => cb((t.err = new Error('no such name'))) })],
  ] as [string, Case['options']][]).map(([name, options]): Case => ({
    name, side: 'server', options,
    node: { result: 'secure', peer: 'secure' },
    tlsrt: { result: { same: true }, peer: RESET, why: 'node:tls calls SNICallback from OpenSSL\'s certificate callback, which a PSK handshake never reaches; tlsrt calls it whenever the client sends a name (as the Node docs describe) and then treats its errors as node:tls\'s loadSNI() does' },
  })),
  {
    name: 'SNICallback calls back twice', side: 'server', options: () => ({ SNICallback: (_n: string, cb: (e: null) => void) => { cb(null); cb(null); } }),
    node: { result: 'secure', peer: 'secure' },
    tlsrt: {
      result: { code: 'ERR_MULTIPLE_CALLBACK', message: 'Callback called multiple times' }, peer: 'secure',
      why: 'SNICallback is called by tlsrt only (see above); a second call is node:tls\'s ERR_MULTIPLE_CALLBACK. The first answer let the server send its flight, so the client completes before the server closes',
    },
  },
  {
    name: 'SNICallback answers with something not a SecureContext', side: 'server', options: () => ({ SNICallback: (_n: string, cb: (e: null, c: unknown) => void) => cb(null, 42) }),
    node: { result: 'secure', peer: 'secure' },
    tlsrt: { result: { name: 'TypeError', code: 'ERR_TLS_INVALID_CONTEXT' }, peer: RESET, why: 'SNICallback is called by tlsrt only (see above)' },
  },
  // ---- client pskCallback ----
  { name: 'client pskCallback throws', side: 'client', options: (t) => ({ pskCallback: boom(t, 'client psk') }), node: { result: { same: true, message: 'client psk boom' }, peer: 'none' } },
  {
    name: 'client pskCallback returns a number', side: 'client', options: () => ({ pskCallback: () => 5 }),
    node: { result: { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "ret" argument must be of type object. Received type number (5)' }, peer: 'none' },
  },
  {
    name: 'client pskCallback returns no identity', side: 'client', options: () => ({ pskCallback: () => ({ psk: PSK }) }),
    node: { result: { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "identity" argument must be of type string. Received undefined' }, peer: 'none' },
  },
  {
    name: 'client pskCallback returns a string key', side: 'client', options: () => ({ pskCallback: () => ({ psk: 'abc', identity: ID }) }),
    node: { result: { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: "The \"psk\" argument must be an instance of Buffer, TypedArray, or DataView. Received type string ('abc')" }, peer: 'none' },
  },
  {
    name: 'client pskCallback returns a 257-byte identity', side: 'client', options: () => ({ pskCallback: () => ({ psk: PSK, identity: 'i'.repeat(257) }) }),
    node: { result: { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: /^The argument 'identity' PSK identity exceeds 256 bytes\./ }, peer: 'none' },
  },
  {
    name: 'client pskCallback returns a 513-byte key', side: 'client', options: () => ({ pskCallback: () => ({ psk: Buffer.alloc(513), identity: ID }) }),
    node: { result: { code: 'ERR_INVALID_ARG_VALUE', message: /^The argument 'psk' Pre-shared key exceeds 512 bytes\./ }, peer: 'none' },
  },
  // ---- checkServerIdentity ----
  { name: 'checkServerIdentity that throws is not called for PSK', side: 'client', options: (t) => ({ checkServerIdentity: boom(t, 'csi') }), node: { result: 'secure', peer: 'none' } },
  { name: 'checkServerIdentity that returns an error is not called for PSK', side: 'client', options: () => ({ checkServerIdentity: () => new Error('wrong host') }), node: { result: 'secure', peer: 'none' } },
];

interface Seen {
  result: 'secure' | (Error & { code?: string });
  peer: string;
}

/** One connection between a server of `srv` and a client of `cli`; `bad` holds the misbehaving side's options. */
async function connectOnce(cliLib: LibName, c: Case, bad: Record<string, unknown>, port: number, seenServer: Promise<Seen['result'] | null>): Promise<Seen> {
  const tls = LIBS[cliLib];
  const clientOpts = {
    port, host: '127.0.0.1', ciphers: SUITE, servername: 'device.example', ALPNProtocols: ['a', 'b'],
    pskCallback: () => ({ psk: PSK, identity: ID }),
    ...(c.side === 'client' ? bad : {}),
  };
  const client = await new Promise<'secure' | (Error & { code?: string })>((resolve) => {
    const s = tls.connect(clientOpts as never);
    let r: 'secure' | Error | null = null;
    s.on('secureConnect', () => {
      r = 'secure';
      s.end();
    });
    s.on('error', (e) => (r ??= e));
    s.resume();
    s.on('close', () => resolve(r ?? new Error('closed without an outcome')));
  });
  const server = await seenServer;
  if (c.side === 'server') return { result: server ?? new Error('no server outcome'), peer: client === 'secure' ? 'secure' : client.code ?? client.message };
  return { result: client, peer: 'none' };
}

function check(seen: Seen, want: Outcome, thrown: Error | undefined, label: string): void {
  assert.equal(seen.peer, want.peer, `${label}: peer`);
  if (want.result === 'secure') {
    assert.equal(seen.result, 'secure', `${label}: ${seen.result === 'secure' ? '' : seen.result.stack}`);
    return;
  }
  assert.notEqual(seen.result, 'secure', `${label}: expected an error, the handshake succeeded`);
  const err = seen.result as Error & { code?: string };
  const w = want.result;
  if (w.same) assert.equal(err, thrown, `${label}: not the error the callback threw: ${err.stack}`);
  if (w.name) assert.equal(err.name, w.name, `${label}: name`);
  if (w.code) assert.equal(err.code, w.code, `${label}: code (${err.message})`);
  if (typeof w.message === 'string') assert.equal(err.message, w.message, `${label}: message`);
  else if (w.message) assert.match(err.message, w.message, `${label}: message`);
}

/** What each callback does when it behaves (for the connections after the misbehaving one). */
const GOOD: Record<string, (...a: never[]) => unknown> = {
  pskCallback: () => PSK,
  ALPNCallback: ({ protocols }: { protocols: string[] }) => protocols[0],
  SNICallback: (_n: string, cb: (e: null) => void) => cb(null),
  checkServerIdentity: () => undefined,
};

/** The case's options, misbehaving while `bad.on` holds, then as GOOD. */
function onceBad(options: Record<string, unknown>, state: { on: boolean }, side: 'server' | 'client'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    const good = k === 'pskCallback' && side === 'client' ? () => ({ psk: PSK, identity: ID }) : GOOD[k];
    out[k] = typeof v === 'function' && good ? (...a: never[]) => (state.on ? (v as (...x: never[]) => unknown)(...a) : good(...a)) : v;
  }
  return out;
}

for (const misbehaving of ['node', 'tlsrt'] as LibName[]) {
  for (const c of CASES) {
    const want = misbehaving === 'tlsrt' && c.tlsrt ? c.tlsrt : c.node;
    for (const peerLib of ['node', 'tlsrt'] as LibName[]) {
      const [srvLib, cliLib] = c.side === 'server' ? [misbehaving, peerLib] : [peerLib, misbehaving];
      const label = `${c.name} (server ${srvLib}, client ${cliLib})`;
      test(label, T, async () => {
        const thrown: { err?: Error } = {};
        const state = { on: true };
        const bad = onceBad(c.options(thrown), state, c.side);
        // One server for the case: first the misbehaving connection, then a good one.
        let onOutcome: (r: Seen['result']) => void = () => {};
        const server = LIBS[srvLib].createServer({ ciphers: SUITE, pskCallback: () => PSK, ...(c.side === 'server' ? bad : {}) } as never, (s) => {
          s.resume();
          s.on('error', () => {});
          s.end();
          onOutcome('secure');
        });
        server.on('tlsClientError', (e) => onOutcome(e));
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const port = (server.address() as net.AddressInfo).port;
        try {
          const serverSaw = new Promise<Seen['result'] | null>((resolve) => (onOutcome = resolve));
          const seen = await connectOnce(cliLib, c, bad, port, c.side === 'server' ? serverSaw : Promise.resolve(null));
          check(seen, want, thrown.err, label);
          // The server keeps serving: the next client (callbacks now behaving) completes.
          state.on = false;
          const next = new Promise<Seen['result'] | null>((resolve) => (onOutcome = resolve));
          const again = await connectOnce(cliLib, c, bad, port, c.side === 'server' ? next : Promise.resolve(null));
          assert.equal(again.result, 'secure', `${label}: the next connection failed: ${again.result === 'secure' ? '' : again.result.stack}`);
        } finally {
          await new Promise<void>((r) => server.close(() => r()));
        }
      });
    }
  }
}

test('every callback is called with the socket as `this`, as node:tls calls them', T, async () => {
  for (const srvLib of ['node', 'tlsrt'] as LibName[]) {
    for (const cliLib of ['node', 'tlsrt'] as LibName[]) {
      const self: Record<string, boolean> = {};
      const server = LIBS[srvLib].createServer({
        ciphers: SUITE,
        pskCallback(this: unknown, socket: unknown) {
          self.serverPsk = this === socket && this instanceof LIBS[srvLib].TLSSocket;
          return PSK;
        },
        ALPNCallback(this: unknown, { protocols }: { protocols: string[] }) {
          self.alpn = this instanceof LIBS[srvLib].TLSSocket;
          return protocols[0];
        },
      } as never, (s) => s.end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        await new Promise<void>((resolve, reject) => {
          const c = LIBS[cliLib].connect({
            port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', ciphers: SUITE, ALPNProtocols: ['a'],
            pskCallback(this: unknown) {
              self.clientPsk = this === c;
              return { psk: PSK, identity: ID };
            },
          });
          c.on('error', reject);
          c.resume();
          c.on('close', () => resolve());
        });
        assert.deepEqual(self, { serverPsk: true, alpn: true, clientPsk: true }, `server ${srvLib}, client ${cliLib}`);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
  }
});
