// Inputs that RFC 8439 reuses across its ChaCha20, Poly1305 and AEAD test
// vectors (sections 2.x and appendix A), shared by chacha20.spec.ts,
// poly1305.spec.ts and chacha20poly1305.spec.ts; and the row types of their
// vector tables. All values are hex.

export const ZERO_KEY = "00".repeat(32);
export const ZERO_NONCE = "00".repeat(12);
/** 32-byte key 00..00 01 (A.1 #3, A.2 #2, A.4 #2). */
export const KEY_ONE = "00".repeat(31) + "01";
/** 12-byte nonce 00..00 02 (A.1 #5, A.2 #2 and #3, A.4 #2 and #3). */
export const NONCE_TWO = "00".repeat(11) + "02";
/** The key of A.2 #3, A.3 #4, A.4 #3 and A.5. */
export const KEY_1C92 = "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0";

/** ChaCha20 block 0 under the zero key and nonce (A.1 #1; A.2 #1's ciphertext; A.4 #1's first 32 bytes). */
export const ZERO_KEYSTREAM_0 =
  "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7da41597c5157488d7724e03fb8d84a37" +
  "6a43b8f41518a11cc387b669b2ee6586";

/** "Ladies and Gentlemen of the class of '99: ..." (§2.4.2, §2.8.2). */
export const SUNSCREEN =
  "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a20496620492063" +
  "6f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73" +
  "637265656e20776f756c642062652069742e";

/** "Any submission to the IETF intended by the Contributor ..." (A.2 #2, A.3 #2 and #3). */
export const IETF_SUBMISSION =
  "416e79207375626d697373696f6e20746f20746865204945544620696e74656e6465642062792074686520436f6e7472" +
  "696275746f7220666f72207075626c69636174696f6e20617320616c6c206f722070617274206f6620616e2049455446" +
  "20496e7465726e65742d4472616674206f722052464320616e6420616e792073746174656d656e74206d616465207769" +
  "7468696e2074686520636f6e74657874206f6620616e204945544620616374697669747920697320636f6e7369646572" +
  "656420616e20224945544620436f6e747269627574696f6e222e20537563682073746174656d656e747320696e636c75" +
  "6465206f72616c2073746174656d656e747320696e20494554462073657373696f6e732c2061732077656c6c20617320" +
  "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e69636174696f6e73206d61646520617420616e" +
  "792074696d65206f7220706c6163652c207768696368206172652061646472657373656420746f";

/** "'Twas brillig, and the slithy toves ..." (A.2 #3, A.3 #4). */
export const JABBERWOCKY =
  "2754776173206272696c6c69672c20616e642074686520736c6974687920746f7665730a446964206779726520616e64" +
  "2067696d626c6520696e2074686520776162653a0a416c6c206d696d737920776572652074686520626f726f676f7665" +
  "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e";

/** A ChaCha20 block-function vector: `out` is the start of block `counter` (all 64 bytes, or a prefix). */
export class BlockVector {
  constructor(public key: string, public nonce: string, public counter: u32, public out: string) {}
}

/** A ChaCha20 encryption vector. */
export class CipherVector {
  constructor(public key: string, public nonce: string, public counter: u32, public pt: string, public ct: string) {}
}

/** A Poly1305 vector. */
export class MacVector {
  constructor(public key: string, public msg: string, public tag: string) {}
}
