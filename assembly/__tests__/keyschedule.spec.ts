// RFC 8448 §4 (resumed handshake: a PSK with psk_dhe_ke) drives every step
// of the key schedule and record protection with AES_128_GCM_SHA256.
import { ks_early, ks_next_stage, ks_derive, ks_traffic_keys, ks_finished, empty_hash, ks_key, ks_derive_keyed, ks_unkey } from "../tls/keyschedule";
import { L_RES_BINDER, L_RES_BINDER_LEN, L_C_HS_TRAFFIC, L_C_HS_TRAFFIC_LEN, L_S_HS_TRAFFIC, L_S_HS_TRAFFIC_LEN,
  L_C_AP_TRAFFIC, L_C_AP_TRAFFIC_LEN, L_S_AP_TRAFFIC, L_S_AP_TRAFFIC_LEN, L_EXP_MASTER, L_EXP_MASTER_LEN } from "../tls/labels";
import { rec_set_keys, rec_seal, rec_open, rec_opened_type, DIR_STATE_SIZE, CT_HANDSHAKE, CT_ALERT, CT_APPLICATION_DATA } from "../tls/record";
import { HASH_SHA256, HASH_SHA384, hash_digest } from "../crypto/hash";
import { TLS_AES_128_GCM_SHA256 } from "../tls/suites";
import { toHex, fromHex, ptr } from "./util/bytes";

const A = HASH_SHA256;
const early = new StaticArray<u8>(48);
const hs = new StaticArray<u8>(48);
const master = new StaticArray<u8>(48);
const out = new StaticArray<u8>(48);
const key = new StaticArray<u8>(32);
const iv = new StaticArray<u8>(12);

/** Derive-Secret(secret, label, transcript hash) into `out`; returns its hex. */
function derive(secret: StaticArray<u8>, label: usize, labelLen: usize, th: StaticArray<u8>): string {
  ks_derive(A, ptr(secret), label, labelLen, ptr(th), ptr(out));
  return toHex(ptr(out), 32);
}

describe("key schedule (RFC 8448 §4)", () => {
  it("derives the early secret from the PSK", () => {
    const psk = fromHex("4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3");
    ks_early(A, ptr(psk), 32, ptr(early));
    expect(toHex(ptr(early), 32)).toBe("9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c");
  });
  it("derives the binder key and the binder", () => {
    const eh = new StaticArray<u8>(48);
    empty_hash(A, ptr(eh));
    expect(derive(early, L_RES_BINDER, L_RES_BINDER_LEN, eh)).toBe("69fe131a3bbad5d63c64eebcc30e395b9d8107726a13d074e389dbc8a4e47256");
    const binderHash = fromHex("63224b2e4573f2d3454ca84b9d009a04f6be9e05711a8396473aefa01e924a14");
    const binder = new StaticArray<u8>(48);
    ks_finished(A, ptr(out), ptr(binderHash), ptr(binder));
    expect(toHex(ptr(binder), 32)).toBe("3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d");
  });
  it("derives handshake and master secrets and the traffic secrets", () => {
    const ecdhe = fromHex("f44194756ff9ec9d25180635d66ea6824c6ab3bf179977be37f723570e7ccb2e");
    ks_next_stage(A, ptr(early), ptr(ecdhe), 32, ptr(hs));
    expect(toHex(ptr(hs), 32)).toBe("005cb112fd8eb4ccc623bb88a07c64b3ede1605363fc7d0df8c7ce4ff0fb4ae6");
    const th = fromHex("f736cb34fe25e701551bee6fd24c1cc7102a7daf9405cb15d97aafe16f757d03");
    expect(derive(hs, L_C_HS_TRAFFIC, L_C_HS_TRAFFIC_LEN, th)).toBe("2faac08f851d35fea3604fcb4de82dc62c9b164a70974d0462e27f1ab278700f");
    expect(derive(hs, L_S_HS_TRAFFIC, L_S_HS_TRAFFIC_LEN, th)).toBe("fe927ae271312e8bf0275b581c54eef020450dc4ecffaa05a1a35d27518e7803");
    ks_traffic_keys(A, ptr(out), 16, ptr(key), ptr(iv));
    expect(toHex(ptr(key), 16)).toBe("27c6bdc0a3dcea39a47326d79bc9e4ee");
    expect(toHex(ptr(iv), 12)).toBe("9569ecdd4d0536705e9ef725");
    ks_next_stage(A, ptr(hs), 0, 0, ptr(master));
    expect(toHex(ptr(master), 32)).toBe("e2d32d4ed66dd37897a0e80c84107503ce58bf8aad4cb55a5002d77ecb890ece");
    const th2 = fromHex("b0aeffc46a2cfe33114e6fd7d51f9f04b1ca3c497dab08934a774a9d9ad7dbf3");
    expect(derive(master, L_C_AP_TRAFFIC, L_C_AP_TRAFFIC_LEN, th2)).toBe("2abbf2b8e381d23dbebe1dd2a7d16a8bf484cb4950d23fb7fb7fa8547062d9a1");
    expect(derive(master, L_S_AP_TRAFFIC, L_S_AP_TRAFFIC_LEN, th2)).toBe("cc21f1bf8feb7dd5fa505bd9c4b468a9984d554a993dc49e6d285598fb672691");
    expect(derive(master, L_EXP_MASTER, L_EXP_MASTER_LEN, th2)).toBe("3fd93d4ffddc98e64b14dd107aedf8ee4add23f4510f58a4592d0b201bee56b4");
  });
});

const dir = new StaticArray<u8>(<i32>DIR_STATE_SIZE);
const buf = new StaticArray<u8>(256);
function setKeys(keyHex: string, ivHex: string): void {
  const k = fromHex(keyHex), v = fromHex(ivHex);
  rec_set_keys(ptr(dir), TLS_AES_128_GCM_SHA256, ptr(k), ptr(v));
}
function sealAndCheck(payloadHex: string, type: u8, expectHex: string): void {
  const payload = fromHex(payloadHex);
  memory.copy(ptr(buf) + 5, ptr(payload), payload.length);
  const n = rec_seal(ptr(dir), ptr(buf), payload.length, type, 0);
  expect(toHex(ptr(buf), n)).toBe(expectHex);
}
function openAndCheck(recordHex: string, type: u8, payloadHex: string): void {
  const rec = fromHex(recordHex);
  memory.copy(ptr(buf), ptr(rec), rec.length);
  const n = rec_open(ptr(dir), ptr(buf), rec.length, 16384);
  expect(n).toBe(payloadHex.length >> 1);
  expect(rec_opened_type()).toBe(type);
  expect(toHex(ptr(buf) + 5, n)).toBe(payloadHex);
}
const sKey = "27c6bdc0a3dcea39a47326d79bc9e4ee", sIv = "9569ecdd4d0536705e9ef725";
const sFlight = "080000280026000a00140012001d00170018001901000101010201030104001c0002400100000000002a00001400002048d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2";
const sRecord = "1703030061dc48237b4b879f50d0d4d262ea8b4716eb40ddc1eb957e11126e8a7149c2d012d37a7115957e64ce30008b9e0323f2c05a9c1c77b4f37849a695ab255060a33fee770ca95cb8486bfd0843b87024865ca35cc41c4e515c64dcb1369f98635bc7a5";


describe("key schedule shortcuts", () => {
  it("empty_hash's constants are SHA-256(\"\") and SHA-384(\"\") as the hash computes them", () => {
    const a = new StaticArray<u8>(48), b = new StaticArray<u8>(48);
    empty_hash(HASH_SHA256, ptr(a));
    hash_digest(HASH_SHA256, 0, 0, ptr(b));
    expect(toHex(ptr(a), 32)).toBe(toHex(ptr(b), 32));
    empty_hash(HASH_SHA384, ptr(a));
    hash_digest(HASH_SHA384, 0, 0, ptr(b));
    expect(toHex(ptr(a), 48)).toBe(toHex(ptr(b), 48));
  });
  it("a keyed secret derives what ks_derive derives, for each label in a row, both hashes", () => {
    // Any 48 bytes will do: the two paths are compared with each other, not with a published value.
    const secret = new StaticArray<u8>(48), th = new StaticArray<u8>(48);
    for (let i = 0; i < 48; i++) {
      secret[i] = <u8>(i * 37 + 11);
      th[i] = <u8>(i * 101 + 3);
    }
    const want = new StaticArray<u8>(48), got = new StaticArray<u8>(48);
    const algs: i32[] = [HASH_SHA256, HASH_SHA384];
    const labels: usize[] = [L_C_AP_TRAFFIC, L_S_AP_TRAFFIC, L_EXP_MASTER];
    const lens: usize[] = [L_C_AP_TRAFFIC_LEN, L_S_AP_TRAFFIC_LEN, L_EXP_MASTER_LEN];
    for (let a = 0; a < 2; a++) {
      const alg = algs[a];
      const n: i32 = alg == HASH_SHA256 ? 32 : 48;
      ks_key(alg, ptr(secret));
      for (let i = 0; i < 3; i++) {
        ks_derive_keyed(alg, labels[i], lens[i], ptr(th), ptr(got));
        ks_derive(alg, ptr(secret), labels[i], lens[i], ptr(th), ptr(want));
        expect(toHex(ptr(got), n)).toBe(toHex(ptr(want), n));
      }
      ks_unkey();
    }
  });
});

describe("record protection (RFC 8448 §4)", () => {
  it("seals the server's encrypted handshake flight", () => {
    setKeys(sKey, sIv);
    sealAndCheck(sFlight, CT_HANDSHAKE, sRecord);
  });
  it("opens it on the client side", () => {
    setKeys(sKey, sIv);
    openAndCheck(sRecord, CT_HANDSHAKE, sFlight);
  });
  it("rejects the record with a flipped bit as bad_record_mac", () => {
    setKeys(sKey, sIv);
    const rec = fromHex(sRecord);
    rec[40] ^= 1;
    memory.copy(ptr(buf), ptr(rec), rec.length);
    expect(rec_open(ptr(dir), ptr(buf), rec.length, 16384)).toBe(-20);
  });
  it("seals application data then an alert with increasing sequence numbers", () => {
    setKeys("3cf122f301c6358ca7989553250efd72", "ab1aec26aa78b8fc1176b9ac");
    sealAndCheck("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031", CT_APPLICATION_DATA,
      "1703030043b1cebce242aa201be9ae5e1cb2a9aa4b33d4e866af1edb068919237741aa031d7a74d491c99b9d4e232b74206bc6fbaa04fe78be44a9b4f54320a17eb76992afac3103");
    sealAndCheck("0100", CT_ALERT, "17030300130facce3246bdfc6369838d6a82ae6de5d422dc");
  });
});
