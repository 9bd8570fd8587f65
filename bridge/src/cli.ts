import { parseArgs } from "node:util";
import { ConfigError, describeConfig, loadConfig } from "./config.js";
import { Activity } from "./activity/activity.js";
import { JobQueue } from "./jobs/queue.js";
import { startBridge } from "./main.js";
import { PairingCodes } from "./shops/pairing.js";
import { copyStore } from "./store/copy.js";
import { describePostgresUrl, openStore } from "./store/store.js";
import { BRIDGE_VERSION } from "./version.js";

const HELP = `rackbeat-bridge ${BRIDGE_VERSION} — the bridge between WooCommerce shops and Rackbeat

Usage:
  rackbeat-bridge start                 run the bridge (HTTP API, workers, schedules)
  rackbeat-bridge migrate               create or upgrade the store's tables (SQLite or PostgreSQL), then exit
  rackbeat-bridge copy-store --to URL   copy every row of this store (DATABASE_URL, or the SQLite file in
                                        DATA_DIR) into the empty store at URL (e.g. postgres://…), secrets
                                        still sealed with the same key; stop the bridge first
  rackbeat-bridge pair [--name NAME]    print a one-time pairing code for a shop (valid 30 minutes)
  rackbeat-bridge jobs list [--state waiting|running|parked|done|skipped] [--shop ID] [--limit N]
  rackbeat-bridge jobs retry <id>       put a parked or skipped job back in line
  rackbeat-bridge jobs retry-parked     retry every parked job
  rackbeat-bridge --help | --version

Configuration comes from the environment (or a .env file in the working directory):
${describeConfig()}
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
      name: { type: "string" },
      state: { type: "string" },
      shop: { type: "string" },
      limit: { type: "string" },
      to: { type: "string" },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.version) {
    console.log(BRIDGE_VERSION);
    return 0;
  }
  if (values.help || !command) {
    console.log(HELP);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig();

  if (command === "start") {
    const bridge = await startBridge({ config });
    console.log(`rackbeat-bridge ${BRIDGE_VERSION} listening on ${bridge.url} (store: ${bridge.ctx.store.location})`);
    if (!config.PUBLIC_URL) {
      console.log("PUBLIC_URL is not set: Rackbeat cannot send webhooks here, so stock is polled instead.");
    }
    const shutdown = (signal: string) => {
      console.log(`${signal}: finishing running jobs, then stopping`);
      bridge.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
    return new Promise<number>(() => undefined);
  }

  const store = await openStore({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL, secretKey: config.SECRET_KEY });
  try {
    if (command === "migrate") {
      console.log(`store is up to date (${store.dialect}: ${store.location})`);
      return 0;
    }
    if (command === "copy-store") {
      const to = values.to?.trim();
      if (!to || !/^(sqlite:|postgres(ql)?:\/\/)/.test(to)) {
        console.error("copy-store needs --to sqlite:<file> or --to postgres://user@host:port/database");
        return 2;
      }
      const target = await openStore({ dataDir: config.DATA_DIR, databaseUrl: to, secretKey: config.SECRET_KEY });
      try {
        const shown = to.startsWith("sqlite:") ? to : describePostgresUrl(to);
        console.log(`copying ${store.dialect}: ${store.location} → ${target.dialect}: ${shown}`);
        const report = await copyStore(store, target, (line) => console.log(`  ${line}`));
        const rows = report.tables.reduce((sum, t) => sum + t.rows, 0);
        console.log(`copied ${rows} rows in ${report.tables.length} tables; ${report.secretsChecked} sealed secrets open with the target's key`);
        console.log(`now start the bridge with DATABASE_URL=${shown.startsWith("postgres") ? "<that URL>" : shown} and the same SECRET_KEY / DATA_DIR`);
        return 0;
      } finally {
        await target.close();
      }
    }
    if (command === "pair") {
      const { code, expiresAt } = await new PairingCodes(store.db).create(values.name);
      console.log(`Pairing code${values.name ? ` for ${values.name}` : ""}:\n\n    ${code}\n`);
      console.log(`Enter it with this bridge's URL in wp-admin → WooCommerce → Rackbeat → Connection.`);
      console.log(`It works once and expires at ${new Date(expiresAt).toISOString()}.`);
      return 0;
    }
    if (command === "jobs") {
      const queue = new JobQueue(store, new Activity(store.db), {
        maxAttempts: config.JOB_MAX_ATTEMPTS,
        backoff: { baseMs: config.JOB_BACKOFF_BASE_MS, maxMs: config.JOB_BACKOFF_MAX_MS },
        leaseMs: config.JOB_LEASE_MS,
      });
      if (sub === "list") {
        const state = values.state as "waiting" | "running" | "parked" | "done" | "skipped" | undefined;
        const jobs = await queue.list({
          ...(state ? { state } : {}),
          ...(values.shop ? { shopId: values.shop } : {}),
          limit: Number(values.limit ?? 50),
        });
        for (const job of jobs) {
          console.log(
            [job.id, job.state, job.kind, job.shopId ?? "-", `attempts ${job.attempts}/${job.maxAttempts}`, job.lastError ?? ""].join("\t"),
          );
        }
        if (jobs.length === 0) console.log("no jobs");
        return 0;
      }
      if (sub === "retry" && arg) {
        const job = await queue.retry(Number(arg));
        console.log(job ? `job ${job.id} is waiting again` : `job ${arg} is not parked or skipped (or does not exist)`);
        return job ? 0 : 1;
      }
      if (sub === "retry-parked") {
        console.log(`${await queue.retryAllParked()} parked jobs are waiting again`);
        return 0;
      }
    }
    console.error(`unknown command: ${positionals.join(" ")}\n`);
    console.log(HELP);
    return 2;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
