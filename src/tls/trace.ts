// enableTrace(): a readable record and handshake trace on stderr, in the
// spirit of OpenSSL's SSL_trace that node:tls prints. Records are traced from
// their plaintext headers on the wire; handshake messages from the engine's
// TRACE events (they are encrypted on the wire after the ServerHello).
const CONTENT = new Map([[20, 'ChangeCipherSpec'], [21, 'Alert'], [22, 'Handshake'], [23, 'ApplicationData']]);
const HANDSHAKE = new Map([
  [1, 'ClientHello'], [2, 'ServerHello'], [4, 'NewSessionTicket'], [5, 'EndOfEarlyData'], [8, 'EncryptedExtensions'],
  [11, 'Certificate'], [12, 'ServerKeyExchange'], [13, 'CertificateRequest'], [14, 'ServerHelloDone'], [15, 'CertificateVerify'],
  [16, 'ClientKeyExchange'], [20, 'Finished'], [24, 'KeyUpdate'],
]);

export class Tracer {
  private partial = { sent: Buffer.alloc(0), received: Buffer.alloc(0) };

  constructor(private readonly who: string, private readonly out: (line: string) => void = (l) => process.stderr.write(l + '\n')) {}

  /** Record headers in bytes crossing the wire (`sent` true: ours). */
  records(sent: boolean, bytes: Uint8Array): void {
    const key = sent ? 'sent' : 'received';
    let b = Buffer.concat([this.partial[key], bytes]);
    while (b.length >= 5) {
      const len = b.readUInt16BE(3);
      if (b.length < 5 + len) break;
      const type = CONTENT.get(b[0]) ?? `type ${b[0]}`;
      this.out(`${this.who} ${sent ? 'Sent' : 'Received'} Record: ${type}, version 0x${b.readUInt16BE(1).toString(16).padStart(4, '0')}, length ${len}`);
      if (b[0] === 22 || b[0] === 21) this.out(`    ${b[0] === 22 ? (HANDSHAKE.get(b[5]) ?? `handshake ${b[5]}`) : `Alert level ${b[5]} description ${b[6]}`} (plaintext)`);
      b = b.subarray(5 + len);
    }
    this.partial[key] = Buffer.from(b);
  }

  /** A handshake message the engine sent or received (from a TRACE event). */
  message(sent: boolean, type: number, length: number): void {
    this.out(`${this.who} ${sent ? 'Sent' : 'Received'} Handshake: ${HANDSHAKE.get(type) ?? `type ${type}`}, length ${length}`);
  }

  note(text: string): void {
    this.out(`${this.who} ${text}`);
  }
}
