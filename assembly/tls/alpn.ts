// Server-side ALPN selection (RFC 7301 §3.2), shared by the TLS 1.3 and
// TLS 1.2 servers: the server's preference order, the first of its
// protocols in the client's list (scratch().clientAlpn, as its hello parser
// left it).
import { slot_at, O_ALPN, O_ALPN_SEL, MAX_ALPN_SEL } from "./slot";
import { fail } from "./record_out";
import { scratch } from "./scratch";
import * as A from "./alerts";

/** Server-preference ALPN selection from the configured list; the host may override in its reply. */
export function select_alpn(p: usize): bool {
  const s = slot_at(p);
  const clientAlpn = scratch().clientAlpn;
  const clientAlpnLen = scratch().clientAlpnLen;
  if (!s.alpnLen || !clientAlpnLen) return true;
  const ours = p + O_ALPN;
  let i: usize = 2;
  while (i < <usize>s.alpnLen) {
    const l = <usize>load<u8>(ours + i);
    let j: usize = 2;
    while (j + 1 <= clientAlpnLen) {
      const cl = <usize>load<u8>(clientAlpn + j);
      if (j + 1 + cl > clientAlpnLen) break;
      if (cl == l && memory.compare(clientAlpn + j + 1, ours + i + 1, l) == 0) {
        if (l > MAX_ALPN_SEL) return fail(p, A.R_INTERNAL, A.ALERT_INTERNAL_ERROR);
        memory.copy(p + O_ALPN_SEL, ours + i + 1, l);
        s.alpnSelLen = <u32>l;
        return true;
      }
      j += 1 + cl;
    }
    i += 1 + l;
  }
  return fail(p, A.R_NO_ALPN, A.ALERT_NO_APPLICATION_PROTOCOL);
}
