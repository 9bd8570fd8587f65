import type { Feature } from "./context.js";
import { eventJobKind } from "./intake/events.js";
import type { JobHandler } from "./jobs/runner.js";

const DAY_MS = 24 * 3600 * 1000;

/** What every bridge does regardless of features: heartbeats and data retention. */
export const coreFeature: Feature = {
  name: "core",
  handlers: () =>
    new Map<string, JobHandler>([
      // A heartbeat's only effect (last contact) happened when it was received.
      [eventJobKind("shop.heartbeat"), { run: async () => undefined }],
    ]),
  tasks: (ctx) => [
    {
      name: "retention",
      everyMs: 3600 * 1000,
      run: async () => {
        const before = ctx.now() - ctx.config.RETENTION_DAYS * DAY_MS;
        const reduced = await ctx.activity.reduceOlderThan(before);
        const pruned = await ctx.queue.pruneFinished(before);
        await ctx.pairing.pruneOld();
        if (reduced + pruned > 0) ctx.log.info({ reduced, pruned }, "retention: old records reduced to ids and outcomes");
      },
    },
  ],
};
