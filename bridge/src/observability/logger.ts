import pino, { type Logger } from "pino";

/**
 * Paths whose values never reach a log line. Tokens, keys, secrets and signatures are replaced
 * wherever they appear in a logged object, including under headers.
 */
export const REDACTED_PATHS = [
  "token",
  "*.token",
  "apiToken",
  "*.apiToken",
  "secret",
  "*.secret",
  "shopSecret",
  "*.shopSecret",
  "shop_secret",
  "*.shop_secret",
  "consumerKey",
  "*.consumerKey",
  "consumerSecret",
  "*.consumerSecret",
  "wc_consumer_key",
  "*.wc_consumer_key",
  "wc_consumer_secret",
  "*.wc_consumer_secret",
  "password",
  "*.password",
  "code",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-rbc-signature"]',
  '*.headers["x-rbc-signature"]',
  'headers["rackbeat-webhook-token"]',
  '*.headers["rackbeat-webhook-token"]',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to inspect lines. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { service: "rackbeat-bridge" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

export type { Logger };
