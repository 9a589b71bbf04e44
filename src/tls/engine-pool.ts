// Where a Node process gets connection slots. A board has one engine with a
// fixed pool; a Node host may run as many connections as it likes, so it
// keeps a set of engine instances, starts another when all are full, and
// lets one go once it is idle, so the memory of a load peak is returned.
// A slot is still the whole state of a connection and is wiped on release.
//
// Opening is O(1): the engines with a free slot sit in a list (each knows
// its place in it, so it leaves in O(1) when it fills up or is let go), and a
// connection always goes to the last of them — the most recently used, so
// load concentrates on few engines and the others empty out and are freed.
import { Engine, type Conn, type PoolGeometry, FULL_SIZE_RECORD_BUFFER } from '../engine/engine.ts';
import type { EngineConfig } from '../engine/config.ts';

const SLOTS_PER_ENGINE = 32;
/** Idle engines kept for the next connections (an instance costs ~1.4 MB and ~0.2 ms to start). */
const SPARE_ENGINES = 1;

const geometry: PoolGeometry = { slots: SLOTS_PER_ENGINE, recvCap: FULL_SIZE_RECORD_BUFFER, sendCap: FULL_SIZE_RECORD_BUFFER, hsCap: 4096 };

interface Tracked {
  engine: Engine;
  live: number;
  /** Index in `withRoom`, or -1 when full. */
  at: number;
}

/** Engines with at least one free slot. */
const withRoom: Tracked[] = [];
let engineCount = 0;
let idleCount = 0;

/** Engine instances alive and how many of them hold no connection (for tests and the scale bench). */
export function poolStats(): { engines: number; idle: number; slotsPerEngine: number } {
  return { engines: engineCount, idle: idleCount, slotsPerEngine: geometry.slots };
}

function leave(t: Tracked): void {
  const last = withRoom.pop()!;
  if (last !== t) {
    withRoom[t.at] = last;
    last.at = t.at;
  }
  t.at = -1;
}

function released(t: Tracked): void {
  t.live--;
  if (t.at < 0) {
    t.at = withRoom.length;
    withRoom.push(t);
  }
  if (t.live === 0) {
    if (idleCount >= SPARE_ENGINES) {
      leave(t); // dropped: the instance and its linear memory go with the last Conn that refers to it
      engineCount--;
    } else idleCount++;
  }
}

/** Opens a connection in an engine with a free slot, starting a new engine when all are full. */
export function openConn(role: 'client' | 'server', cfg: EngineConfig): Conn {
  let t = withRoom[withRoom.length - 1];
  if (!t) {
    t = { engine: new Engine(geometry), live: 0, at: withRoom.length };
    withRoom.push(t);
    engineCount++;
    idleCount++;
  }
  const conn = t.engine.open(role, cfg); // a bad config throws here, before anything is counted
  if (t.live++ === 0) idleCount--;
  if (t.live === t.engine.geometry.slots) leave(t);
  const tracked = t;
  conn.onClose = () => released(tracked);
  return conn;
}
