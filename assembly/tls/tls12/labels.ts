// The TLS 1.2 PRF labels (RFC 5246 §6.3, §7.4.9; RFC 7627 §4), as ASCII
// bytes, static data like ../labels.ts. "master secret" is never used to
// derive (the extended master secret is required) but exporter labels that
// start with any of these are refused (RFC 5705 §4).
/** "extended master secret" */
export const L12_EXTENDED_MASTER_SECRET = memory.data<u8>([101, 120, 116, 101, 110, 100, 101, 100, 32, 109, 97, 115, 116, 101, 114, 32, 115, 101, 99, 114, 101, 116]);
export const L12_EXTENDED_MASTER_SECRET_LEN: usize = 22;
/** "key expansion" */
export const L12_KEY_EXPANSION = memory.data<u8>([107, 101, 121, 32, 101, 120, 112, 97, 110, 115, 105, 111, 110]);
export const L12_KEY_EXPANSION_LEN: usize = 13;
/** "client finished" */
export const L12_CLIENT_FINISHED = memory.data<u8>([99, 108, 105, 101, 110, 116, 32, 102, 105, 110, 105, 115, 104, 101, 100]);
export const L12_CLIENT_FINISHED_LEN: usize = 15;
/** "server finished" */
export const L12_SERVER_FINISHED = memory.data<u8>([115, 101, 114, 118, 101, 114, 32, 102, 105, 110, 105, 115, 104, 101, 100]);
export const L12_SERVER_FINISHED_LEN: usize = 15;
/** "master secret" */
export const L12_MASTER_SECRET = memory.data<u8>([109, 97, 115, 116, 101, 114, 32, 115, 101, 99, 114, 101, 116]);
export const L12_MASTER_SECRET_LEN: usize = 13;
