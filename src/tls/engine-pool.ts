// Where a Node process gets connection slots. A board has one engine with a
// fixed pool; a Node host may run as many connections as it likes, so it
// keeps a list of engine instances and starts another when all are full.
// A slot is still the whole state of a connection and is wiped on release.
import { Engine, type Conn, type PoolGeometry, FULL_SIZE_RECORD_BUFFER } from '../engine/engine.ts';
import type { EngineConfig } from '../engine/config.ts';

const SLOTS_PER_ENGINE = 32;
const engines: Engine[] = [];
let geometry: PoolGeometry = { slots: SLOTS_PER_ENGINE, recvCap: FULL_SIZE_RECORD_BUFFER, sendCap: FULL_SIZE_RECORD_BUFFER, hsCap: 4096 };

/** Changes the geometry of engines created from now on (the simulator sizes them per board). */
export function setPoolGeometry(g: Partial<PoolGeometry>): void {
  geometry = { ...geometry, ...g };
}

/** Opens a connection in the first engine with a free slot, starting a new engine when all are full. */
export function openConn(role: 'client' | 'server', cfg: EngineConfig): Conn {
  for (const e of engines) {
    try {
      return e.open(role, cfg);
    } catch (err) {
      if ((err as { code?: number }).code !== -4) throw err; // -4: this engine is full
    }
  }
  const e = new Engine(geometry);
  engines.push(e);
  return e.open(role, cfg);
}
