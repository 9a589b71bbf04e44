// Runs the `tlsrt` command line (src/cli.ts through tsx) as a child process
// for the CLI tests: a killable Peer (helpers/peers.ts), and a server started
// on a free port whose port is read from its 'ACCEPT host:port' line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnPeer, waitFor, type Peer } from './peers.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
// tsx by absolute URL: `--import tsx` would resolve it from the working directory.
const NODE_ARGS = ['--import', import.meta.resolve('tsx'), CLI];

/** `tlsrt <args>` as a child (stdin, stdout and stderr piped); killed after `ms` at the latest. */
export function tlsrt(args: string[], ms = 60000): Peer {
  return spawnPeer(process.execPath, [...NODE_ARGS, ...args], ms);
}

/** `tlsrt <args>` to completion (for --help and usage errors). */
export function tlsrtSync(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...NODE_ARGS, ...args], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `tlsrt server --port 0 <args>`, once it listens. */
export async function tlsrtServer(args: string[]): Promise<{ peer: Peer; port: number }> {
  const peer = tlsrt(['server', '--port', '0', ...args]);
  const accept = () => /^ACCEPT \S+:(\d+)$/m.exec(peer.stderr());
  try {
    await waitFor(() => accept() !== null || peer.proc.exitCode !== null, 'tlsrt server to print ACCEPT', 30000);
  } catch (e) {
    await peer.kill();
    throw e;
  }
  const m = accept();
  if (!m) {
    await peer.kill();
    throw new Error(`tlsrt server did not start: ${peer.stderr()}`);
  }
  return { peer, port: Number(m[1]) };
}

/** Writes `data` to a child's stdin and closes it. */
export function feed(peer: Peer, data: Uint8Array | string): void {
  peer.proc.stdin!.end(data);
}
