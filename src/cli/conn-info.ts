// The connection summary both commands print to stderr once a handshake is
// done, in the spirit of `openssl s_client -brief` (stdout carries only data).
import type { TLSSocket } from '../index.ts';

export function connectionInfo(socket: TLSSocket, identity: string, role: 'client' | 'server'): string {
  const lines = ['CONNECTION ESTABLISHED', `Protocol version: ${socket.getProtocol() ?? 'TLSv1.3'}`];
  lines.push(`Ciphersuite: ${socket.getCipher()?.standardName ?? '(unknown)'}`);
  lines.push(`PSK identity: ${identity}`);
  if (role === 'client') {
    // Only a client learns the key exchange through the node:tls API.
    const kx = socket.getEphemeralKeyInfo();
    lines.push(`Key exchange: ${kx && kx.name ? `psk_dhe_ke (${kx.name})` : 'psk_ke (no ephemeral key)'}`);
  }
  lines.push(`ALPN protocol: ${socket.alpnProtocol || '(none)'}`);
  if (socket.servername) lines.push(`Server name: ${socket.servername}`);
  if (role === 'server' && socket.remoteAddress) lines.push(`Peer: ${socket.remoteAddress}:${socket.remotePort}`);
  return lines.join('\n') + '\n';
}

/** "message (CODE)" for a connection failure. */
export function describeError(err: Error & { code?: string }): string {
  return err.code && !err.message.includes(err.code) ? `${err.message} (${err.code})` : err.message;
}
