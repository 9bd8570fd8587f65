/** The bridge's Rackbeat adapter: typed client, schemas, errors and the rate gate. */
export * from "./rackbeat-client.js";
export * from "./rackbeat-errors.js";
export * from "./rackbeat-schemas.js";
export type { CallOptions, WriteOptions, UserAgentInfo, QueryValue } from "./rackbeat-http.js";
export * from "./rate-gate.js";
