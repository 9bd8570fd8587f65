/**
 * One bridge process of a scale-out test or benchmark: a real bridge (startBridge) on the shared
 * PostgreSQL database, with a feature whose jobs of kind "burst" append "start <n> <pid>" to the
 * journal, call Rackbeat (GET /self through the token's shared rate gate) when RB_TOKEN is set, wait
 * HOLD_MS (I/O), and append "done <n> <pid>".
 *
 * Env: DATABASE_URL, DATA_DIR, SECRET_KEY, JOURNAL, HOLD_MS, WORKER_CONCURRENCY, JOB_LEASE_MS, and
 * for Rackbeat: RACKBEAT_BASE_URL, RB_TOKEN, RB_LIMIT, RB_WINDOW_MS.
 */
import { appendFileSync } from "node:fs";
import type { Feature } from "../../bridge/src/context.js";
import { startBridge } from "../../bridge/src/main.js";
import { createLogger } from "../../bridge/src/observability/logger.js";
import { type RackbeatClient, createRackbeatClient } from "../../bridge/src/rackbeat/index.js";

const env = process.env;
const journal = env.JOURNAL;
const holdMs = Number(env.HOLD_MS ?? "0");
let client: RackbeatClient | undefined;

const burst: Feature = {
  name: "scale-test",
  handlers: () =>
    new Map([
      [
        "burst",
        {
          run: async (payload: unknown) => {
            const n = String((payload as { n: number }).n);
            if (journal) appendFileSync(journal, `start ${n} ${process.pid}\n`);
            if (env.RB_TOKEN) {
              client ??= createRackbeatClient({
                token: env.RB_TOKEN,
                baseUrl: env.RACKBEAT_BASE_URL,
                userAgent: { product: "scale-test", version: "0", contact: "test" },
                rateLimit: { limit: Number(env.RB_LIMIT ?? "480"), windowMs: Number(env.RB_WINDOW_MS ?? "60000") },
              });
              await client.self();
            }
            if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
            if (journal) appendFileSync(journal, `done ${n} ${process.pid}\n`);
          },
        },
      ],
    ]),
};

const bridge = await startBridge({
  env: { ...env, PORT: "0", LOG_LEVEL: "silent" },
  logger: createLogger({ level: "silent" }),
  features: [burst],
});
process.send?.("ready");
process.once("SIGTERM", () => void bridge.close().then(() => process.exit(0)));
