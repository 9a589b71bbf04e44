// Listeners that throw: 'secureConnection' and 'keylog' on a server,
// 'secureConnect' and 'keylog' on a client. In node:tls these events come
// from native callbacks, so what a listener throws is an uncaught exception
// (process 'uncaughtException'), and the module carries on: the connection
// and the server still work. tlsrt must not over-protect (swallow the
// exception) nor under-protect (stall the connection or the server).
// Modelled on Node's test-tls-keylog-tlsv13 / test-tls-server-verify style
// scenarios; each case runs in a child process (test/helpers/
// throwing-listener-child.ts) with node:tls and with tlsrt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../helpers/throwing-listener-child.ts', import.meta.url));

function runChild(lib: string, which: string): Promise<{ uncaught: string[]; results?: string[]; error?: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', CHILD, lib, which], { timeout: 30000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`child ${lib} ${which} printed no result (${err?.message ?? ''}): ${stderr}`));
      }
    });
  });
}

const CASES: { which: string; message: string }[] = [
  { which: 'secureConnection', message: 'secureConnection listener threw' },
  { which: 'serverKeylog', message: 'keylog listener threw' },
  { which: 'secureConnect', message: 'secureConnect listener threw' },
  { which: 'clientKeylog', message: 'keylog listener threw' },
];

for (const c of CASES) {
  test(`a throwing '${c.which}' listener is an uncaught exception; the connection and the next one still work`, { timeout: 60000 }, async () => {
    const [node, tlsrt] = await Promise.all([runChild('node', c.which), runChild('tlsrt', c.which)]);
    for (const [lib, r] of [['node:tls', node], ['tlsrt', tlsrt]] as const) {
      assert.deepEqual(r.uncaught, [c.message], `${lib}: uncaught exceptions`);
      assert.equal(r.error, undefined, `${lib}: ${r.error}`);
      assert.equal(r.results?.[1], 'pong:ping2', `${lib}: the next connection`);
    }
    // The connection whose listener threw still works — except one node:tls
    // quirk: a 'secureConnect' listener that throws skips node's removal of
    // its pre-handshake 'end' listener, so that connection fails with
    // ECONNRESET when the server ends it. tlsrt ends it normally.
    assert.equal(node.results?.[0], c.which === 'secureConnect' ? 'error:ECONNRESET' : 'pong:ping1', 'node:tls: first connection');
    assert.equal(tlsrt.results?.[0], 'pong:ping1', 'tlsrt: first connection');
  });
}
