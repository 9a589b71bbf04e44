#!/usr/bin/env node
// The `tlsrt` command line: this file only dispatches; each command lives in
// src/cli/<command>.ts, prints what it did and returns its exit code.
import { selftestCommand } from './cli/selftest.ts';
import { bundleCommand } from './cli/bundle.ts';
import { clientCommand } from './cli/client.ts';
import { serverCommand } from './cli/server.ts';
import { simCommand } from './cli/sim.ts';
import { boardCommand } from './cli/board.ts';
import { EXIT_OK, EXIT_USAGE } from './cli/usage.ts';

const HELP = `tlsrt — an embedded TLS 1.3 runtime (WASM engine for microcontrollers)

usage: tlsrt <command> [options]

commands:
  client --psk <hex> [--host H] [--port N] ...
                        connect to a TLS 1.3 PSK server (like openssl s_client
                        -psk): stdin to the server, the server's data to stdout
  server --psk <hex> [--port N] ...
                        a TLS 1.3 PSK echo server (like openssl s_server
                        -nocert -psk); --port 0 picks a free port
  sim [--board B] [--devices N] [--loss P] [--latency MS] [--seed S] ...
                        simulate a fleet of boards (virtual time, imperfect
                        links) against a node:tls or tlsrt server; prints a
                        progress bar and handshake times, bytes and RAM
  selftest [psk|full]   run the engine module's boot self-test (known-answer
                        tests of every primitive) on this machine's V8
  bundle --board <name> --out DIR [--profile psk] [--runtime aot|wasm3]
                        prepare a board build: the board header (pool
                        geometry, memory limits, import signatures), the C
                        device host with its runtime — aot: the engine
                        compiled to C by wasm2c and a static wasm-rt; wasm3:
                        the engine as a C array plus the wasm3 settings —
                        and the build glue for the board's SDK (ESP-IDF
                        component or Pico SDK CMake) plus a POSIX Makefile
  board --board <name> [--runtime aot|wasm3] [--json]
                        run the board's firmware on an emulated CPU (qemu):
                        boot self-test, psk_dhe_ke and psk_ke handshakes and
                        an echo with a node:tls server through the emulated
                        UART; prints RAM, flash and instruction counts
  help                  show this text

'tlsrt client --help', 'tlsrt server --help', 'tlsrt sim --help' and 'tlsrt board --help' explain every option, with examples.

exit codes: 0 success, 1 a connection, self-test, bundle, simulated or emulated board failed, 2 usage error`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'client':
      return clientCommand(rest);
    case 'server':
      return serverCommand(rest);
    case 'sim':
      return simCommand(rest);
    case 'selftest':
      return selftestCommand(rest);
    case 'bundle':
      return bundleCommand(rest, HELP);
    case 'board':
      return boardCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return cmd === undefined ? EXIT_USAGE : EXIT_OK;
    default:
      console.error(`tlsrt: unknown command '${cmd}'\n\n${HELP}`);
      return EXIT_USAGE;
  }
}

process.exitCode = await main(process.argv.slice(2));
