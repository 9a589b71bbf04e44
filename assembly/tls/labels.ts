// The TLS 1.3 labels HKDF-Expand-Label uses (RFC 8446 §7.1, §7.3, §7.5, §4.6.3),
// as ASCII bytes without the "tls13 " prefix (hkdf_expand_label adds it).
// Generated once from the RFC's strings; kept as static data so the engine
// needs no string runtime.
/** "derived" */
export const L_DERIVED = memory.data<u8>([100, 101, 114, 105, 118, 101, 100]);
export const L_DERIVED_LEN: usize = 7;
/** "ext binder" */
export const L_EXT_BINDER = memory.data<u8>([101, 120, 116, 32, 98, 105, 110, 100, 101, 114]);
export const L_EXT_BINDER_LEN: usize = 10;
/** "res binder" */
export const L_RES_BINDER = memory.data<u8>([114, 101, 115, 32, 98, 105, 110, 100, 101, 114]);
export const L_RES_BINDER_LEN: usize = 10;
/** "c hs traffic" */
export const L_C_HS_TRAFFIC = memory.data<u8>([99, 32, 104, 115, 32, 116, 114, 97, 102, 102, 105, 99]);
export const L_C_HS_TRAFFIC_LEN: usize = 12;
/** "s hs traffic" */
export const L_S_HS_TRAFFIC = memory.data<u8>([115, 32, 104, 115, 32, 116, 114, 97, 102, 102, 105, 99]);
export const L_S_HS_TRAFFIC_LEN: usize = 12;
/** "c ap traffic" */
export const L_C_AP_TRAFFIC = memory.data<u8>([99, 32, 97, 112, 32, 116, 114, 97, 102, 102, 105, 99]);
export const L_C_AP_TRAFFIC_LEN: usize = 12;
/** "s ap traffic" */
export const L_S_AP_TRAFFIC = memory.data<u8>([115, 32, 97, 112, 32, 116, 114, 97, 102, 102, 105, 99]);
export const L_S_AP_TRAFFIC_LEN: usize = 12;
/** "exp master" */
export const L_EXP_MASTER = memory.data<u8>([101, 120, 112, 32, 109, 97, 115, 116, 101, 114]);
export const L_EXP_MASTER_LEN: usize = 10;
/** "res master" */
export const L_RES_MASTER = memory.data<u8>([114, 101, 115, 32, 109, 97, 115, 116, 101, 114]);
export const L_RES_MASTER_LEN: usize = 10;
/** "key" */
export const L_KEY = memory.data<u8>([107, 101, 121]);
export const L_KEY_LEN: usize = 3;
/** "iv" */
export const L_IV = memory.data<u8>([105, 118]);
export const L_IV_LEN: usize = 2;
/** "finished" */
export const L_FINISHED = memory.data<u8>([102, 105, 110, 105, 115, 104, 101, 100]);
export const L_FINISHED_LEN: usize = 8;
/** "traffic upd" */
export const L_TRAFFIC_UPD = memory.data<u8>([116, 114, 97, 102, 102, 105, 99, 32, 117, 112, 100]);
export const L_TRAFFIC_UPD_LEN: usize = 11;
/** "exporter" */
export const L_EXPORTER = memory.data<u8>([101, 120, 112, 111, 114, 116, 101, 114]);
export const L_EXPORTER_LEN: usize = 8;
