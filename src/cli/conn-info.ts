// The connection summary both commands print to stderr once a handshake is
// done, in the spirit of `openssl s_client -brief` (stdout carries only data).
import type { TLSSocket } from '../index.ts';

export function connectionInfo(socket: TLSSocket, identity: string, role: 'client' | 'server', hint?: string | null): string {
  const protocol = socket.getProtocol() ?? 'TLSv1.3';
  const lines = ['CONNECTION ESTABLISHED', `Protocol version: ${protocol}`];
  // TLS 1.3 suites by their one name; TLS 1.2 by OpenSSL's name, as openssl -brief prints it.
  const c = socket.getCipher();
  lines.push(`Ciphersuite: ${(protocol === 'TLSv1.2' ? c?.name : c?.standardName) ?? '(unknown)'}`);
  lines.push(`PSK identity: ${identity}`);
  if (protocol === 'TLSv1.2' && role === 'client') lines.push(`PSK identity hint: ${hint ?? '(none)'}`);
  if (role === 'client') {
    // Only a client learns the key exchange through the node:tls API.
    const kx = socket.getEphemeralKeyInfo();
    const dhe = !!(kx && kx.name);
    // TLS 1.3 names its modes psk_dhe_ke / psk_ke; TLS 1.2 has ECDHE-PSK and plain PSK suites.
    const mode = protocol === 'TLSv1.2' ? (dhe ? 'ECDHE-PSK' : 'PSK') : dhe ? 'psk_dhe_ke' : 'psk_ke';
    lines.push(`Key exchange: ${mode} (${dhe ? kx!.name : 'no ephemeral key'})`);
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
