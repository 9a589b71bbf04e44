// A deterministic handshake between a simulated board (the client) and a
// server engine on V8, wired back to back in memory. The board's virtual
// clock gives what the handshake's work costs on the board; the server's work
// and the network take no board time (a link model is not part of this).
import type { Engine, Conn } from '../engine/engine.ts';
import type { KxMode } from '../engine/config.ts';
import { compileProfile } from '../engine/wasm-module.ts';
import { Board, engineAround, initEngine, instantiateWith, seededRandom, type BoardOptions } from './board.ts';

export const SIM_IDENTITY = Buffer.from('device-0001');

/** A fixed PSK for simulations (deterministic by design; never a real key). */
export function simPsk(seed: string | number): Buffer {
  const out = Buffer.alloc(32);
  seededRandom(`psk:${seed}`)(out);
  return out;
}

export interface PairOptions {
  kx: KxMode;
  suites: string[];
  psk: Uint8Array;
  maxFragmentLength?: number;
  maxSendFragment?: number;
}

export interface PairResult {
  /** Every flight in wire order: [direction, bytes]. */
  flights: Array<['c2s' | 's2c', Buffer]>;
  client: Conn;
  server: Conn;
  clientFinished: Buffer;
  serverFinished: Buffer;
  exporter: Buffer;
  kx?: string;
  suite?: string;
}

/**
 * Runs one handshake between a client on `clientEngine` and a server on
 * `serverEngine`. `onClientDone` is called the moment the client reports the
 * handshake (before the server has seen the client's Finished).
 */
export function handshakePair(clientEngine: Engine, serverEngine: Engine, o: PairOptions, onClientDone?: () => void): PairResult {
  const client = clientEngine.open('client', {
    pskIdentity: SIM_IDENTITY,
    psk: o.psk,
    suites: o.suites,
    kxModes: [o.kx],
    maxFragmentLength: o.maxFragmentLength || undefined,
    maxSendFragment: o.maxSendFragment,
  });
  const server = serverEngine.open('server', { kxModes: ['psk_ke', 'psk_dhe_ke'] });
  const flights: PairResult['flights'] = [];
  const pending = new Map<Conn, Buffer>([[client, Buffer.alloc(0)], [server, Buffer.alloc(0)]]);
  let clientDone = false;
  const pull = (c: Conn): boolean => {
    let moved = false;
    for (const ev of c.events()) {
      moved = true;
      if (ev.kind === 'clientHello') c.helloReply({ psk: ev.identity.equals(SIM_IDENTITY) ? o.psk : null });
      if (ev.kind === 'handshake' && c === client && !clientDone) {
        clientDone = true;
        onClientDone?.();
      }
      if (ev.kind === 'error') throw new Error(`simulated handshake: ${c === client ? 'client' : 'server'} failed: ${ev.reason} (${ev.alertName})`);
    }
    return moved;
  };
  for (let round = 0; ; round++) {
    if (round === 10000) throw new Error('simulated handshake: no quiescence');
    let moved = false;
    for (const [from, to, dir] of [[client, server, 'c2s'], [server, client, 's2c']] as const) {
      moved = pull(from) || moved;
      const out = from.takeOutput();
      if (out) {
        moved = true;
        flights.push([dir, Buffer.from(out)]);
        pending.set(to, Buffer.concat([pending.get(to)!, out]));
      }
      const inbox = pending.get(to)!;
      if (inbox.length) {
        const n = to.feed(inbox);
        if (n) {
          pending.set(to, inbox.subarray(n));
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  if (client.state !== 'open' || server.state !== 'open') throw new Error(`simulated handshake did not complete (client ${client.state}, server ${server.state})`);
  const label = 'EXPERIMENTAL tlsrt sim';
  const exporter = client.exportKeyingMaterial(32, label);
  if (!exporter.equals(server.exportKeyingMaterial(32, label))) throw new Error('simulated handshake: exporters disagree');
  return {
    flights,
    client,
    server,
    clientFinished: client.clientFinished,
    serverFinished: client.serverFinished,
    exporter,
    kx: client.kx,
    suite: client.suite,
  };
}

/** A production-build server engine on V8 with deterministic randomness. */
export function simServerEngine(seed: string | number): Engine {
  const inst = instantiateWith(compileProfile('psk'), seededRandom(`server:${seed}`));
  return initEngine(engineAround(inst, { slots: 2, recvCap: 5 + 16384 + 256, sendCap: 5 + 16384 + 256, hsCap: 2048 }));
}

export interface SimulatedHandshake {
  board: string;
  kx: KxMode;
  /** Simulated board time from open() to the client's handshake event. */
  ms: number;
  ops: number;
  result: PairResult;
}

/**
 * One client handshake on a fresh simulated board (its profile's suites and
 * record limits) against a V8 server, all randomness from `seed`.
 */
export function simulateHandshake(board: string | Board, kx: KxMode, seed: string | number = 1, opts: BoardOptions = {}): SimulatedHandshake {
  const b = typeof board === 'string' ? new Board(board, { seed: `client:${seed}`, ...opts }) : board;
  const p = b.profile;
  const c0 = b.counts().ops;
  const t0 = b.now();
  let t1 = NaN;
  let ops = 0;
  const result = handshakePair(
    b.engine,
    simServerEngine(seed),
    { kx, suites: p.suites, psk: simPsk(seed), maxFragmentLength: p.maxFragmentLength, maxSendFragment: p.defaultFragment },
    () => {
      t1 = b.now();
      ops = b.counts().ops - c0;
    },
  );
  result.client.close();
  result.server.close();
  return { board: p.name, kx, ms: t1 - t0, ops, result };
}
