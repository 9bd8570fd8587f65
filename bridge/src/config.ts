import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";

/**
 * The bridge's configuration, read from the environment (and an optional `.env` file in the working
 * directory). Every value is validated; a bad one stops start-up with a message naming the variable.
 */
const port = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be between 0 and 65535")
  .max(65535, "must be between 0 and 65535");

const positiveInt = (what: string) =>
  z.coerce.number({ message: `must be a number (${what})` }).int("must be a whole number").positive(`must be above 0 (${what})`);

const isHttpUrl = (value: string) => {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .superRefine((value, ctx) => {
    if (value === undefined) return;
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    if (hasScheme && !/^https?:\/\//i.test(value)) ctx.addIssue({ code: "custom", message: "must start with http:// or https://" });
    else if (!isHttpUrl(value)) {
      ctx.addIssue({ code: "custom", message: "must be an absolute http(s) URL, e.g. https://bridge.example.com" });
    }
  })
  .optional();

export const configSchema = z.object({
  HOST: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .default("127.0.0.1")
    .describe("address the HTTP server binds to; 127.0.0.1 keeps it private to this machine"),
  PORT: port.default(8787),
  PUBLIC_URL: optionalUrl.describe("where Rackbeat can reach this bridge's webhooks (behind a reverse proxy)"),
  DATA_DIR: z.string().trim().min(1, "must not be empty").default("./data"),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine(
      (v) => v === undefined || v === "" || /^(sqlite:|postgres(ql)?:\/\/)/.test(v),
      "must start with sqlite: or postgres:// (empty: SQLite file in DATA_DIR)",
    ),
  SECRET_KEY: z
    .string()
    .trim()
    .optional()
    .refine(
      (v) => v === undefined || v === "" || Buffer.from(v, "base64").length === 32,
      "must be 32 bytes, base64-encoded (openssl rand -base64 32); empty: a key file is made in DATA_DIR",
    ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  RETENTION_DAYS: positiveInt("days").max(3650, "must be at most 3650 days").default(90),
  WORKER_CONCURRENCY: positiveInt("parallel jobs").max(256, "must be at most 256").default(8),
  JOB_MAX_ATTEMPTS: positiveInt("attempts before a job is parked").max(100, "must be at most 100").default(12),
  JOB_TIMEOUT_MS: positiveInt("ms").default(60_000),
  JOB_LEASE_MS: positiveInt("ms").default(120_000),
  JOB_BACKOFF_BASE_MS: positiveInt("ms").default(2_000),
  JOB_BACKOFF_MAX_MS: positiveInt("ms").default(3_600_000),
  OUTBOX_PULL_INTERVAL_MS: positiveInt("ms").default(30_000),
  RACKBEAT_BASE_URL: z.url({ message: "must be an absolute URL" }).default("https://app.rackbeat.com/api"),
  RACKBEAT_TIMEOUT_MS: positiveInt("ms").default(30_000),
  RACKBEAT_RETRY_BASE_MS: positiveInt("ms")
    .default(500)
    .describe("first wait before a Rackbeat call that failed (5xx, timeout) is tried again within the same job; doubles each time"),
  RACKBEAT_RETRY_MAX_MS: positiveInt("ms").default(15_000).describe("longest wait between such tries"),
  WOOCOMMERCE_TIMEOUT_MS: positiveInt("ms").default(30_000),
  CONTACT: z.string().trim().default("https://github.com/rackbeat-connector/woocommerce"),
});

export type BridgeConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates `env` (process.env by default, after loading ./.env when present). */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): BridgeConfig {
  const known = Object.keys(configSchema.shape);
  const input = Object.fromEntries(known.map((k) => [k, emptyToUndefined(env[k], k)]));
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "config");
        const given = env[name];
        const shown = given === undefined ? "" : ` (got ${JSON.stringify(redactIfSecret(name, given))})`;
        return `${name} ${issue.message}${shown}`;
      }),
    );
  }
  return parsed.data;
}

function emptyToUndefined(value: string | undefined, key: string): string | undefined {
  // An empty variable means "use the default", except where empty has its own meaning.
  if (value === undefined) return undefined;
  if (value.trim() === "" && key !== "PUBLIC_URL" && key !== "DATABASE_URL" && key !== "SECRET_KEY") return undefined;
  return value;
}

function redactIfSecret(name: string, value: string): string {
  return /KEY|SECRET|TOKEN|PASSWORD|DATABASE_URL/.test(name) ? "[redacted]" : value;
}

function readEnvironment(): Record<string, string | undefined> {
  const envFile = resolve(".env");
  if (existsSync(envFile)) {
    // Node's own .env reader; variables already set in the environment win.
    process.loadEnvFile(envFile);
  }
  return process.env;
}

/** Human-readable table of the variables, for `rackbeat-bridge --help`. */
export function describeConfig(): string {
  return Object.entries(configSchema.shape)
    .map(([name, schema]) => {
      const description = (schema as z.ZodType).description ?? "";
      return `  ${name}${description ? ` — ${description}` : ""}`;
    })
    .join("\n");
}
