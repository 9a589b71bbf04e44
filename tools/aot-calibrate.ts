// The aot cycle model's calibration data (src/sim/aot-traces.ts): for each
// board whose instruction set the emulator runs (rp2040: Thumb-1,
// esp32-c3: RV32IMC), what the aot firmware executes under qemu
// (`tlsrt board --board <b> --runtime aot --json`: the boot self-test, the
// client psk_ke and psk_dhe_ke handshakes) next to what the sim twin of the
// same board module counts for the same workloads (src/sim/board.ts;
// handshakes against a V8 server, src/sim/handshake.ts). Prints the rows to
// paste into src/sim/aot-traces.ts.
//   node --import tsx tools/aot-calibrate.ts [board.json ...]
// With arguments, the emulator figures are read from saved `tlsrt board --json`
// outputs instead of being measured again (the emulator run takes a while).
import { readFileSync } from 'node:fs';
import { runBoard, type BoardRunResult } from '../src/emulated/run.ts';
import { Board } from '../src/sim/board.ts';
import { handshakePair, simPsk, simServerEngine } from '../src/sim/handshake.ts';
import type { OpCounts } from '../src/sim/cost-model.ts';
import type { KxMode } from '../src/engine/config.ts';

const diff = (a: OpCounts, b: OpCounts): OpCounts => ({ ops: b.ops - a.ops, calls: b.calls - a.calls, i64alu: b.i64alu - a.i64alu, i64mul: b.i64mul - a.i64mul });

/** The sim twin's counts for the self-test and one client handshake per key exchange. */
export function simCounts(board: string): Record<'selftest' | KxMode, OpCounts> {
  const st = new Board(board, { seed: 'aot-calibrate' });
  const c0 = st.counts();
  if (st.engine.x.selftest() !== 1) throw new Error(`${board}: self-test failed`);
  const selftest = diff(c0, st.counts());
  const hs = (kx: KxMode): OpCounts => {
    const b = new Board(board, { seed: `aot-calibrate:${kx}` });
    const p = b.profile;
    const h0 = b.counts();
    let spent: OpCounts | undefined;
    const r = handshakePair(b.engine, simServerEngine(1), { kx, suites: p.suites, psk: simPsk(1), maxFragmentLength: p.maxFragmentLength, maxSendFragment: p.defaultFragment }, () => {
      spent = diff(h0, b.counts());
    });
    r.client.close();
    r.server.close();
    if (!spent) throw new Error(`${board} ${kx}: no handshake`);
    return spent;
  };
  return { selftest, psk_ke: hs('psk_ke'), psk_dhe_ke: hs('psk_dhe_ke') };
}

const saved = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')) as BoardRunResult);
const results: BoardRunResult[] = saved.length ? saved : [];
if (!saved.length) for (const board of ['rp2040', 'esp32-c3']) results.push(await runBoard({ board, runtime: 'aot' }));
for (const r of results) {
  if (!r.ok || r.runtime !== 'aot') throw new Error(`${r.board}: the emulated run did not succeed (${r.error ?? 'not ok'})`);
  const c = simCounts(r.board);
  const measured = { selftest: r.selftest.instructions, psk_ke: r.handshakeInstructions.psk_ke, psk_dhe_ke: r.handshakeInstructions.psk_dhe_ke };
  for (const w of ['selftest', 'psk_ke', 'psk_dhe_ke'] as const) {
    const k = c[w];
    console.log(`  { board: '${r.board}', workload: '${w}', ops: ${k.ops}, calls: ${k.calls}, i64alu: ${k.i64alu}, i64mul: ${k.i64mul}, instructions: ${measured[w]} },`);
  }
  console.log(`  // ${r.board}: ramBytes ${JSON.stringify(r.ramBytes)}, linearMemoryBytes ${r.linearMemoryBytes}, flashBytes ${r.flashBytes}`);
}
