export * from "./aes";
export * from "./ghash";
export * from "./gcm";
export * from "./ccm";
