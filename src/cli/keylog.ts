// --keylog <file>: the NSS key log lines tlsrt emits ('keylog' events) are
// appended to a file, as OpenSSL does with SSLKEYLOGFILE, so Wireshark or
// tshark can decrypt a capture. Each line is written synchronously: the file
// is complete even if the process is killed right after a handshake.
import { openSync, writeSync, closeSync } from 'node:fs';

export interface KeylogFile {
  write(line: Buffer): void;
  close(): void;
}

export function openKeylog(path: string): KeylogFile {
  const fd = openSync(path, 'a', 0o600); // secrets: readable by the owner only
  let open = true;
  return {
    write(line) {
      if (open) writeSync(fd, line.at(-1) === 0x0a ? line : Buffer.concat([line, Buffer.from('\n')]));
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
