/** Rackbeat → bridge webhooks: registration, token check, deliveries as jobs (shared by stock and products). */
export * from "./webhook-kinds.js";
export * from "./webhook-registration.js";
export * from "./webhook-receiver.js";
