// The Node build (`notary-verify` under Node, or `notary-verify/node`): ready on import.
export * from "./index.js";
