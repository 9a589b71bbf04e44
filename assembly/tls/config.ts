// The connection config a host passes to open(): a compact TLV blob
// (tag u8, length u16 big-endian, value), so a C host on a board and the
// Node host encode it the same way and new options never break old hosts.
// Every value is checked against the slot's fixed limits here, once.
import { Slot, slot_at, O_IDENTITY, O_PSK, O_ALPN, O_SNI, O_SUITES, O_GROUPS, MAX_IDENTITY, MAX_PSK, MAX_ALPN_LIST, MAX_SNI,
  MAX_SUITES, MAX_GROUPS, F_KEYLOG, F_COMPAT, F_PSK_KNOWN, F_FORCE_HRR, F_TRACE, ROLE_CLIENT, O_HINT, MAX_HINT, G_ASK_PSK } from "./slot";
import { suite_version } from "./suites";
import { HAS_TLS12 } from "../features";
import { CFG_MIN_VERSION, CFG_MAX_VERSION, CFG_IDENTITY_HINT, CF_ASK_PSK } from "../abi";
import { suite_known, suite_built, suite_hash, suite_desc_at, sd_id, sd_built, sd_version, sd_hash, SUITE_COUNT } from "./suites";
import { group_known, group_built, group_desc_at, gd_id, gd_built, GROUP_COUNT } from "./groups";
import { HASH_SHA256, HASH_SHA384 } from "../crypto/hash";
import { HAS_PSK_KE, HAS_PSK_DHE_KE } from "../features";
import { HAS_HASH_SHA384 } from "../built";
import { scratch } from "./scratch";
import { CFG_GROUPS, CFG_SUITES, CFG_PSK_IDENTITY, CFG_PSK_KEY, CFG_PSK_HASH, CFG_KX_MODES, CFG_ALPN, CFG_SERVER_NAME, CFG_MAX_FRAGMENT, CFG_RECORD_LIMIT, CFG_MAX_SEND_FRAG, CFG_FLAGS, CFG_REKEY_AFTER, CF_KEYLOG, CF_COMPAT, CF_FORCE_HRR, CF_TRACE, KX_PSK_KE, KX_PSK_DHE_KE } from "../abi";
export { CFG_SUITES, CFG_PSK_IDENTITY, CFG_PSK_KEY, CFG_PSK_HASH, CFG_KX_MODES, CFG_ALPN, CFG_SERVER_NAME, CFG_MAX_FRAGMENT, CFG_RECORD_LIMIT, CFG_MAX_SEND_FRAG, CFG_FLAGS, CFG_REKEY_AFTER, CF_KEYLOG, CF_COMPAT, CF_FORCE_HRR, CF_TRACE, KX_PSK_KE, KX_PSK_DHE_KE } from "../abi";

// Whether the config named suites / groups (else every one built in is
// offered), and whether config_apply failed on something this module was
// built without (assembly/built.ts): scratch.ts, for this call only.

/** The key-exchange modes this module contains. */
const KX_BUILT: u8 = (HAS_PSK_KE ? KX_PSK_KE : 0) | (HAS_PSK_DHE_KE ? KX_PSK_DHE_KE : 0);

/** True when the last config_apply refused a suite, mode or PSK hash the module does not contain (E_UNSUPPORTED). */
export function config_refused_by_build(): bool {
  return scratch().refusedByBuild;
}

/** Applies a config blob to a freshly claimed slot; returns false on any malformed or out-of-range value. */
export function config_apply(p: usize, cfg: usize, len: usize): bool {
  const s = slot_at(p);
  // Defaults: every suite built in, psk_dhe_ke only (as OpenSSL) where built, SHA-256 PSKs, full-size records.
  s.suiteCount = 0;
  s.kxModes = HAS_PSK_DHE_KE ? KX_PSK_DHE_KE : KX_PSK_KE;
  s.hashAlg = HASH_SHA256;
  s.maxSendFrag = 16384;
  if (HAS_TLS12) { // only TLS 1.2 code (and offers13 with it) reads the range
    s.minVersion = TLS13_VERSION;
    s.maxVersion = TLS13_VERSION;
  }
  let pos: usize = 0;
  const x = scratch();
  x.suitesSeen = false;
  x.groupsSeen = false;
  x.refusedByBuild = false;
  while (pos < len) {
    if (len - pos < 3) return false;
    const tag = load<u8>(cfg + pos);
    const n = <usize>bswap<u16>(load<u16>(cfg + pos + 1));
    const v = cfg + pos + 3;
    if (n > len - pos - 3) return false;
    pos += 3 + n;
    if (!apply_field(p, tag, v, n)) return false;
  }
  if (!x.suitesSeen) {
    // Default: every suite built into this module that the PSK's hash can be used with (RFC 8446 §4.2.11).
    // TLS 1.3 suites only: TLS 1.2 is offered when the host names a TLS 1.2 suite (CFG_MAX_VERSION).
    for (let i: i32 = 0; i < SUITE_COUNT; i++) {
      const d = suite_desc_at(i);
      if (sd_built(d) && sd_version(d) == 0x0304 && sd_hash(d) == s.hashAlg) set_suite(p, s.suiteCount++, sd_id(d));
    }
  }
  if (!x.groupsSeen) {
    // Default: every group this module contains, in table order (x25519 first).
    for (let i: i32 = 0; i < GROUP_COUNT; i++) {
      const d = group_desc_at(i);
      if (gd_built(d)) set_group(p, s.groupCount++, gd_id(d));
    }
  }
  // Suites the host named are kept as given even when their hash is not the
  // PSK's: a client offers them all, as an OpenSSL client does (its
  // pskCallback keys are SHA-256 keys, yet it lists TLS_AES_256_GCM_SHA384),
  // and suite_allowed() never lets either side settle on one of them.
  if (HAS_TLS12 && s.minVersion > s.maxVersion) return false;
  if (s.role == ROLE_CLIENT) {
    // A client asking its host for the PSK (TLS 1.2, CF_ASK_PSK) has none for a TLS 1.3 binder yet.
    const asks = HAS_TLS12 && (s.flags12 & G_ASK_PSK) != 0 && s.pskLen == 0;
    if (!asks && (s.identityLen == 0 || s.pskLen == 0)) return false;
    if (asks) s.maxVersion = TLS12_VERSION;
    if (!offers13(p) && !(HAS_TLS12 && offers12(p))) return false;
  }
  if (s.pskLen != 0 && s.identityLen == 0) return false;
  return true;
}

export const TLS12_VERSION: u16 = 0x0303;
export const TLS13_VERSION: u16 = 0x0304;

/** The slot's suite list has one of version `v`. */
function lists_version(p: usize, v: u16): bool {
  const s = slot_at(p);
  for (let i: u8 = 0; i < s.suiteCount; i++) if (suite_version(get_suite(p, i)) == v) return true;
  return false;
}

/** Client: the ClientHello offers TLS 1.3; server: a TLS 1.3 ClientHello is answered with TLS 1.3. */
export function offers13(p: usize): bool {
  // Without TLS 1.2 both hold whenever a suite is listed: the versions can
  // only be TLS 1.3 and only built (TLS 1.3) suites get into the list.
  if (!HAS_TLS12) return slot_at(p).suiteCount != 0;
  return slot_at(p).maxVersion >= TLS13_VERSION && lists_version(p, TLS13_VERSION);
}

/** The ClientHello offers TLS 1.2 (client), or a TLS 1.2 ClientHello is accepted (server): the versions allow it and a TLS 1.2 suite is listed. */
export function offers12(p: usize): bool {
  return HAS_TLS12 && slot_at(p).minVersion <= TLS12_VERSION && lists_version(p, TLS12_VERSION);
}

/** True when `id` is one of the slot's TLS 1.2 suites (any PSK works with any of them: the PRF hash is the suite's). */
export function suite12_allowed(p: usize, id: u16): bool {
  const s = slot_at(p);
  if (suite_version(id) != TLS12_VERSION) return false;
  for (let i: u8 = 0; i < s.suiteCount; i++) if (get_suite(p, i) == id) return true;
  return false;
}

/** One config field; false when its value is malformed or out of range. */
function apply_field(p: usize, tag: u8, v: usize, n: usize): bool {
  const s = slot_at(p);
  if (tag == CFG_SUITES) {
    if (n == 0 || n > MAX_SUITES * 2 || (n & 1)) return false;
    scratch().suitesSeen = true;
    for (let i: usize = 0; i < n; i += 2) {
      const id = bswap<u16>(load<u16>(v + i));
      if (!suite_known(id)) return false;
      if (!suite_built(id)) return refuse();
      if (<usize>s.suiteCount >= MAX_SUITES) return false; // a second CFG_SUITES adds to the first
      for (let k: u8 = 0; k < s.suiteCount; k++) if (get_suite(p, k) == id) return false; // each id once
      set_suite(p, s.suiteCount++, id);
    }
  } else if (tag == CFG_GROUPS) {
    if (n == 0 || n > MAX_GROUPS * 2 || (n & 1)) return false;
    scratch().groupsSeen = true;
    for (let i: usize = 0; i < n; i += 2) {
      const id = bswap<u16>(load<u16>(v + i));
      if (!group_known(id)) return false;
      if (!group_built(id)) return refuse();
      if (<usize>s.groupCount >= MAX_GROUPS || group_allowed(p, id)) return false; // a repeat is malformed
      set_group(p, s.groupCount++, id);
    }
  } else if (tag == CFG_MIN_VERSION || tag == CFG_MAX_VERSION) {
    if (n != 2) return false;
    const ver = bswap<u16>(load<u16>(v));
    if (ver != TLS12_VERSION && ver != TLS13_VERSION) return false;
    if (!HAS_TLS12) return ver == TLS13_VERSION || refuse(); // TLS 1.3 is all such a module speaks
    if (tag == CFG_MIN_VERSION) s.minVersion = ver;
    else s.maxVersion = ver;
  } else if (HAS_TLS12 && tag == CFG_IDENTITY_HINT) {
    // (A module without TLS 1.2 ignores the tag: it never sends a hint.)
    if (n > MAX_HINT) return false;
    memory.copy(p + O_HINT, v, n);
    s.hintLen = <u32>n;
  } else if (tag == CFG_PSK_IDENTITY) {
    if (n == 0 || n > MAX_IDENTITY) return false;
    memory.copy(p + O_IDENTITY, v, n);
    s.identityLen = <u32>n;
  } else if (tag == CFG_PSK_KEY) {
    if (n == 0 || n > MAX_PSK) return false;
    memory.copy(p + O_PSK, v, n);
    s.pskLen = <u32>n;
    s.flags |= F_PSK_KNOWN;
  } else if (tag == CFG_PSK_HASH) {
    if (n != 1 || load<u8>(v) > 1) return false;
    if (load<u8>(v) == 1 && !HAS_HASH_SHA384) return refuse();
    s.hashAlg = load<u8>(v) == 1 ? HASH_SHA384 : HASH_SHA256;
  } else if (tag == CFG_KX_MODES) {
    if (n != 1 || load<u8>(v) == 0 || load<u8>(v) > 3) return false;
    if (load<u8>(v) & ~KX_BUILT) return refuse();
    s.kxModes = load<u8>(v);
  } else if (tag == CFG_ALPN) {
    if (n < 2 || n > MAX_ALPN_LIST || !alpn_list_valid(v, n)) return false;
    memory.copy(p + O_ALPN, v, n);
    s.alpnLen = <u32>n;
  } else if (tag == CFG_SERVER_NAME) {
    if (n == 0 || n > MAX_SNI) return false;
    memory.copy(p + O_SNI, v, n);
    s.sniLen = <u32>n;
  } else if (tag == CFG_MAX_FRAGMENT) {
    if (n != 1 || load<u8>(v) < 1 || load<u8>(v) > 4) return false;
    s.mflCode = load<u8>(v);
  } else if (tag == CFG_RECORD_LIMIT) {
    if (n != 2) return false;
    const l = <u32>bswap<u16>(load<u16>(v));
    if (l < 64 || l > 16385) return false;
    s.ourRsl = l;
  } else if (tag == CFG_MAX_SEND_FRAG) {
    if (n != 2) return false;
    const l = <u32>bswap<u16>(load<u16>(v));
    if (l < 512 || l > 16384) return false;
    s.maxSendFrag = l;
  } else if (tag == CFG_REKEY_AFTER) {
    if (n != 4) return false;
    const r = bswap<u32>(load<u32>(v));
    if (r == 0 || r > (1 << 24)) return false;
    s.rekeyAfter = r;
  } else if (tag == CFG_FLAGS) {
    if (n != 1) return false;
    const f = load<u8>(v);
    if (f & CF_KEYLOG) s.flags |= F_KEYLOG;
    if (f & CF_COMPAT) s.flags |= F_COMPAT;
    if (f & CF_FORCE_HRR) s.flags |= F_FORCE_HRR;
    if (f & CF_TRACE) s.flags |= F_TRACE;
    if (HAS_TLS12 && (f & CF_ASK_PSK)) s.flags12 |= G_ASK_PSK;
  }
  // Unknown tags are ignored so an older engine accepts a newer host's config.
  return true;
}

/** A well-formed request for something this module was built without. */
function refuse(): bool {
  scratch().refusedByBuild = true;
  return false;
}

function alpn_list_valid(v: usize, n: usize): bool {
  if (<usize>bswap<u16>(load<u16>(v)) != n - 2) return false;
  let i: usize = 2;
  while (i < n) {
    const l = <usize>load<u8>(v + i);
    if (l == 0 || i + 1 + l > n) return false;
    i += 1 + l;
  }
  return true;
}

/** The slot's i-th suite (i < suiteCount), in preference order. */
export function get_suite(p: usize, i: u8): u16 {
  return load<u16>(p + O_SUITES + (<usize>i << 1));
}

function set_suite(p: usize, i: u8, id: u16): void {
  store<u16>(p + O_SUITES + (<usize>i << 1), id);
}

/** The slot's i-th group (i < groupCount), in preference order. */
export function get_group(p: usize, i: u8): u16 {
  return load<u16>(p + O_GROUPS + (<usize>i << 1));
}

function set_group(p: usize, i: u8, id: u16): void {
  store<u16>(p + O_GROUPS + (<usize>i << 1), id);
}

/** True when `id` is one of the slot's groups. */
export function group_allowed(p: usize, id: u16): bool {
  const s = slot_at(p);
  for (let i: u8 = 0; i < s.groupCount; i++) if (get_group(p, i) == id) return true;
  return false;
}

/** True when `id` is one of the slot's suites and can be used with its PSK (same hash, RFC 8446 §4.2.11). */
export function suite_allowed(p: usize, id: u16): bool {
  const s = slot_at(p);
  // (Without TLS 1.2 every listed suite is a TLS 1.3 one: the list test below is the version test.)
  if (suite_hash(id) != s.hashAlg || (HAS_TLS12 && suite_version(id) != TLS13_VERSION)) return false;
  for (let i: u8 = 0; i < s.suiteCount; i++) if (get_suite(p, i) == id) return true;
  return false;
}
