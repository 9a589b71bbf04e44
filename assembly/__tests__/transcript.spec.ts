// RFC 8448 §5 (HelloRetryRequest): after an HRR the transcript restarts
// with message_hash(ClientHello1) (RFC 8446 §4.4.1). The client handshake
// traffic secret in the trace was derived from this exact transcript hash.
import { th_init, th_update, th_current, th_restart_with_message_hash } from "../tls/transcript";
import { Slot, SLOT_STATE_SIZE } from "../tls/slot";
import { HASH_SHA256 } from "../crypto/hash";

function trFromHex(s: string): StaticArray<u8> {
  const out = new StaticArray<u8>(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>parseInt(s.substr(i * 2, 2), 16);
  return out;
}
function trToHex(p: usize, n: usize): string {
  let s = "";
  for (let i: usize = 0; i < n; i++) {
    const b = load<u8>(p + i);
    s += (b < 16 ? "0" : "") + b.toString(16);
  }
  return s;
}

const CH1 = "010000b00303b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee9258a346677b6f000006130113031302010000810000000b0009000006736572766572ff01000100000a00080006001d00170018003300260024001d0020e8e8e3f3b93a25ed97a14a7dcacb8a272c6288e585c6484d05262fcad062ad1f002b0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c00024001";
const HRR = "020000ac0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c001301000084003300020017002c0074007271dcd04bb88bc3189119398a00000000eefafc76c146b823b096f8aacad365dd0030953f4edf625636e5f21bb2e23fcc654b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d6e50781b5eda4aa15b0c8be778257d16aa3030e9e7841dd9e4c0342267e8ca0caf571fb2b7cff0f934b0002b00020304";
const CH2 = "010001fc0303b0b1c5a5aa37c5919f2ed1d5c6fff7fcb7849716945a2b8cee9258a346677b6f000006130113031302010001cd0000000b0009000006736572766572ff01000100000a00080006001d001700180033004700450017004104a6da7392ec591e17abfd535964b99894d13befb221b3def2ebe3830eac8f0151812677c4d6d2237e85cf01d6910cfb83954e76ba7352830534159897e8065780002b0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002c0074007271dcd04bb88bc3189119398a00000000eefafc76c146b823b096f8aacad365dd0030953f4edf625636e5f21bb2e23fcc654b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d6e50781b5eda4aa15b0c8be778257d16aa3030e9e7841dd9e4c0342267e8ca0caf571fb2b7cff0f934b0002d00020101001c00024001001500af00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
const SH = "020000770303bb341d847fd789c47c387172dc0c9bf147fccacb5043d86ca4c598d3ff571b9800130100004f003300450017004104583e054b7a66672ae020ad9d2686fcc85b5ad41a134a0f03ee72b893052bd85b4c8de6776f5b04ac07d83540eab3e3d9c547bc6528c4317d294686093a6cad7d002b00020304";

const slot = new StaticArray<u8>(<i32>SLOT_STATE_SIZE);
const out = new StaticArray<u8>(48);

function feed(p: usize, hex: string): void {
  const m = trFromHex(hex);
  th_update(p, changetype<usize>(m), m.length);
}

describe("transcript after HelloRetryRequest (RFC 8448 §5)", () => {
  it("hashes message_hash(ClientHello1) || HRR || ClientHello2 || ServerHello", () => {
    const p = changetype<usize>(slot);
    changetype<Slot>(p).hashAlg = HASH_SHA256;
    th_init(p);
    feed(p, CH1);
    th_restart_with_message_hash(p);
    feed(p, HRR);
    feed(p, CH2);
    feed(p, SH);
    th_current(p, changetype<usize>(out));
    expect(trToHex(changetype<usize>(out), 32)).toBe("8aa8e828ec2f8a884fec95a3139de01c15a3daa7ff5bfc3f4bfcc21b438d7bf8");
  });
  it("differs without the restart (the test can fail)", () => {
    const p = changetype<usize>(slot);
    th_init(p);
    feed(p, CH1);
    feed(p, HRR);
    feed(p, CH2);
    feed(p, SH);
    th_current(p, changetype<usize>(out));
    expect(trToHex(changetype<usize>(out), 32)).not.toBe("8aa8e828ec2f8a884fec95a3139de01c15a3daa7ff5bfc3f4bfcc21b438d7bf8");
  });
});
