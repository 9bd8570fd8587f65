/**
 * protocol.md §2 from the test side. The bridge's implementation is bridge/src/http/signing.ts; this
 * re-exports it so the tests sign exactly as the real bridge does.
 */
export { sign, signedHeaders, stringToSign, verifySignature } from "../../../bridge/src/http/signing.js";
