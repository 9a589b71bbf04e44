// For tools/build.mjs (plain Node, which cannot import TypeScript): every
// board profile, validated by src/bundle/board.ts, with the asc flags that
// build its module. Prints JSON: [{ name, flags }].
import { boardNames, loadBoard } from '../src/bundle/board.ts';
import { ascUseFlags } from '../src/bundle/engine-features.ts';

const out = boardNames().map((name) => ({ name, flags: ascUseFlags(loadBoard(name).engine) }));
process.stdout.write(JSON.stringify(out));
