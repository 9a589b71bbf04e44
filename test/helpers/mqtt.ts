// MQTT peers for the tests and bench/mqtt.ts: Debian's mosquitto started
// with a TLS 1.3 PSK listener on 127.0.0.1, and mqtt.js clients whose stream
// is a tlsrt or a node:tls PSK connection (mqtt.js's MqttClient takes a
// stream builder: the function it calls for every (re)connection).
import { mkdtempSync, writeFileSync, chmodSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import nodeTls from 'node:tls';
import type { Duplex } from 'node:stream';
import mqtt from 'mqtt';
import { connectRetry, freePort, spawnPeer, type Peer } from './peers.ts';
import tlsrt from '../../src/index.ts';

/** The broker's binary: on PATH, or where Debian puts it (/usr/sbin is not on every user's PATH). */
const MOSQUITTO = existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';

/** Why mosquitto cannot run here, or null when it can. */
export function mosquittoMissing(): string | null {
  const r = spawnSync(MOSQUITTO, ['-h'], { encoding: 'utf8' });
  if (r.error) return `mosquitto is not installed (${(r.error as NodeJS.ErrnoException).code}); .ci/run installs the Debian package`;
  return /mosquitto version 2\./.test(r.stdout + r.stderr) ? null : 'mosquitto 2.x is required (psk_hint with tls_version)';
}

export interface Mosquitto {
  port: number;
  peer: Peer;
  stop(): Promise<void>;
}

/**
 * mosquitto with one listener: TLS 1.3 only, PSK only (`psk_hint` turns PSK
 * on, `psk_file` holds identity:hexkey lines), the PSK identity as the MQTT
 * username. Resolves once it accepts TCP connections. `tls12` instead makes
 * the listener's minimum TLS 1.2 (mosquitto 2's `tls_version`) with these
 * TLS 1.2 `ciphers`.
 */
export async function startMosquitto(keys: Record<string, Buffer>, tls12?: { ciphers: string }): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'tlsrt-mosquitto-'));
  // Run as root, mosquitto drops to its own user before reading psk_file.
  chmodSync(dir, 0o755);
  const pskFile = join(dir, 'psk');
  writeFileSync(pskFile, Object.entries(keys).map(([id, k]) => `${id}:${k.toString('hex')}\n`).join(''), { mode: 0o644 });
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    'per_listener_settings false',
    'allow_anonymous true',
    'persistence false',
    `listener ${port} 127.0.0.1`,
    'psk_hint tlsrt-test',
    `psk_file ${pskFile}`,
    'use_identity_as_username true',
    ...(tls12 ? ['tls_version tlsv1.2', `ciphers ${tls12.ciphers}`] : ['tls_version tlsv1.3']),
    'ciphers_tls1.3 TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384',
    '',
  ].join('\n'));
  const peer = spawnPeer(MOSQUITTO, ['-c', conf], 600_000);
  try {
    (await connectRetry(port)).destroy();
  } catch (err) {
    await peer.kill();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mosquitto did not start listening: ${(err as Error).message}\n${peer.stderr()}`);
  }
  return {
    port,
    peer,
    async stop() {
      await peer.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Lib = 'tlsrt' | 'node';

/** A PSK TLS connection to 127.0.0.1:`port` by `lib` (`tlsOptions` over the TLS 1.3 defaults). */
export function pskConnect(lib: Lib, port: number, identity: string, key: Buffer, tlsOptions: Record<string, unknown> = {}): Duplex {
  const opts = {
    port, host: '127.0.0.1',
    pskCallback: () => ({ psk: key, identity }),
    checkServerIdentity: () => undefined,
    ciphers: 'TLS_AES_128_GCM_SHA256',
    ...tlsOptions,
  };
  return lib === 'tlsrt' ? (tlsrt.connect(opts) as unknown as Duplex) : nodeTls.connect(opts);
}

/** An mqtt.js client over a `lib` PSK connection; it does not reconnect, so a failure ends it. */
export function mqttClient(lib: Lib, port: number, identity: string, key: Buffer, opts: mqtt.IClientOptions = {}, tlsOptions: Record<string, unknown> = {}): mqtt.MqttClient {
  return new mqtt.MqttClient(() => pskConnect(lib, port, identity, key, tlsOptions) as never, {
    protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000, clientId: `${lib}-${identity}-${Math.random().toString(16).slice(2, 10)}`, ...opts,
  });
}

/** Resolves on CONNACK; rejects with the first error (and on a close before it). */
export function connected(c: mqtt.MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
    c.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

/** Ends a client and waits until its stream is closed. */
export function endClient(c: mqtt.MqttClient): Promise<void> {
  return new Promise((resolve) => c.end(false, {}, () => resolve()));
}
