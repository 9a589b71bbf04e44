// Child process for throwing-listeners.test.ts: a listener of `lib`'s
// (node:tls or tlsrt) throws on its first event; the exception must reach
// process 'uncaughtException' — as in node:tls, where these events are
// emitted from native callbacks — and the same server and module must then
// serve a second client normally. Prints one JSON line and exits.
//   node --import tsx throwing-listener-child.ts <node|tlsrt> <secureConnection|serverKeylog|secureConnect|clientKeylog>
import net from 'node:net';
import nodeTls from 'node:tls';
import * as tlsrt from '../../src/index.ts';

const [libName, which] = process.argv.slice(2);
const lib = (libName === 'tlsrt' ? tlsrt : nodeTls) as typeof nodeTls;
const PSK = Buffer.alloc(32, 0x5a);
const uncaught: string[] = [];
process.on('uncaughtException', (e) => uncaught.push(e.message));

let armed = true;
function throwOnce(what: string): void {
  if (!armed) return;
  armed = false;
  throw new Error(`${what} listener threw`);
}

const serverSide = which === 'secureConnection' || which === 'serverKeylog';
const srvLib = serverSide ? lib : nodeTls;
const cliLib = serverSide ? nodeTls : lib;

const server = srvLib.createServer({ pskCallback: () => PSK, ciphers: 'TLS_AES_128_GCM_SHA256' });
if (which === 'serverKeylog') server.on('keylog', () => throwOnce('keylog'));
// The throwing listener comes after the application's, so the connection itself still works.
server.on('secureConnection', (s) => {
  s.on('data', (d: Buffer) => s.end(`pong:${d}`));
  s.on('error', () => {});
});
if (which === 'secureConnection') server.on('secureConnection', () => throwOnce('secureConnection'));

function client(port: number, n: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = cliLib.connect({ port, host: '127.0.0.1', ciphers: 'TLS_AES_128_GCM_SHA256', pskCallback: () => ({ psk: PSK, identity: 'dev' }) });
    if (which === 'clientKeylog') c.on('keylog', () => throwOnce('keylog'));
    c.once('secureConnect', () => c.write(`ping${n}`));
    if (which === 'secureConnect') c.on('secureConnect', () => throwOnce('secureConnect'));
    let got = '';
    c.on('data', (d: Buffer) => (got += d));
    c.on('end', () => c.end());
    c.on('error', reject);
    c.on('close', () => resolve(got));
  });
}

const watchdog = setTimeout(() => {
  console.log(JSON.stringify({ uncaught, error: 'timed out' }));
  process.exit(1);
}, 10000);

server.listen(0, '127.0.0.1', async () => {
  const port = (server.address() as net.AddressInfo).port;
  const results: string[] = [];
  for (const n of [1, 2]) {
    try {
      results.push(await client(port, n));
    } catch (e) {
      results.push(`error:${(e as Error & { code?: string }).code ?? (e as Error).message}`);
    }
  }
  clearTimeout(watchdog);
  console.log(JSON.stringify({ uncaught, results }));
  process.exit(0);
});
