// The host's tag-length-value answers (hello_reply): entries of u8 tag, u16
// big-endian length and that many value bytes, up to the answer's end.
//
// One reading of an entry for the three readers (TLS 1.3 server, TLS 1.2
// server and client), so each checks a cut-short entry the same way and says
// only what its tags mean:
//
//   for (let at = r; at < end; at = next) {
//     next = tlv_next(at, end);   // 0: cut short, the answer is refused
//     ... tlv_tag(at), tlv_val(at), n = next - tlv_val(at) ...
//   }
//
// config.ts walks the config blob (the same format) open-coded: it is in every
// board module, and this shared form costs the smallest of them bytes.
import { slot_at, O_PSK, MAX_PSK } from "./slot";

/** The entry after the one at `at`, or 0 when that one is cut short of `end` (under 3 header bytes, or its value runs past `end`). */
export function tlv_next(at: usize, end: usize): usize {
  if (end - at < 3) return 0;
  const n = <usize>bswap<u16>(load<u16>(at + 1));
  if (n > end - at - 3) return 0;
  return at + 3 + n;
}

// @ts-ignore: decorator
@inline export function tlv_tag(at: usize): u8 {
  return load<u8>(at);
}

/** The address of the value of the entry at `at`. */
// @ts-ignore: decorator
@inline export function tlv_val(at: usize): usize {
  return at + 3;
}

/** An HR_PSK_KEY value (`n` bytes at `v`) becomes slot `p`'s PSK key; false when empty or longer than MAX_PSK. */
export function take_psk_key(p: usize, v: usize, n: usize): bool {
  if (n == 0 || n > MAX_PSK) return false;
  memory.copy(p + O_PSK, v, n);
  slot_at(p).pskLen = <u32>n;
  return true;
}
