/**
 * Drill: the disk under the SQLite store fills up while orders come in. The bridge must refuse new
 * events with a clear 507 naming the disk (the plugin keeps them in its outbox), keep every event
 * it had already acknowledged, keep running (no worker dies), and once space is freed take the
 * refused events and process everything: every order in Rackbeat exactly once.
 *
 * SQLite only, whatever RBC_TEST_STORE says: with PostgreSQL the disk is the database server's (its
 * "disk_full" SQLSTATE 53100 is mapped to the same 507 by bridge/src/store/store-full.ts).
 * The store lives on a small tmpfs mounted for this file (`mount -t tmpfs`, root as in CI); if the
 * mount is refused, the drill fails and says why.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestBridge } from "../helpers/bridge.js";
import { type OrdersRig, accessOf, jobCount, reportDrill, signedFetch, sleep, startOrdersBridge, startOrdersRig, waitFor } from "./drill-kit.js";

const TMPFS_SIZE = "12m";

/** Writes zeros to `file` until the disk refuses (ENOSPC); returns the bytes written. */
function fill(file: string): number {
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
  // The last partial blocks too.
  const fd2 = openSync(file, "a");
  try {
    for (;;) written += writeSync(fd2, Buffer.alloc(512));
  } catch {
    // full
  } finally {
    closeSync(fd2);
  }
  return written;
}

describe("drill: the SQLite store's disk full (SQLite only)", () => {
  let dir = "";
  let mounted = false;
  let bridge: TestBridge | undefined;
  let rig: OrdersRig | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "rbc-drill-disk-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${TMPFS_SIZE}`, "tmpfs", dir], { stdio: "pipe" });
      mounted = true;
    } catch (error) {
      const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
      throw new Error(
        `the full-disk drill must mount a ${TMPFS_SIZE} tmpfs for the store and could not: \`mount -t tmpfs -o size=${TMPFS_SIZE} tmpfs ${dir}\` failed (${stderr || (error as Error).message}). ` +
          "It runs as root in CI (Debian); run the tests as root, or in a container allowed to mount.",
      );
    }
  });
  afterAll(async () => {
    await bridge?.close();
    await rig?.close();
    if (mounted) execFileSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses new events with 507 naming the disk, loses nothing it has, and catches up once space is back", async () => {
    rig = await startOrdersRig();
    bridge = await startOrdersBridge({ dataDir: dir, env: { DATA_DIR: dir, DATABASE_URL: "" } }, rig.rackbeat, {
      WORKER_CONCURRENCY: "4",
      JOB_BACKOFF_BASE_MS: "50",
      JOB_BACKOFF_MAX_MS: "500",
    });
    expect(bridge.ctx.store.dialect).toBe("sqlite");
    expect(bridge.ctx.store.location.startsWith(dir)).toBe(true);
    await rig.connect(accessOf(bridge));
    const db = bridge.ctx.store.db;
    const plugin = rig.woo.plugin;

    for (let i = 0; i < 5; i++) rig.place();
    await plugin.push();
    await rig.drained(db);

    // A burst is accepted (stored as jobs, acknowledged) and the disk fills while the bridge works
    // through it (Rackbeat answers in 100 ms, so most of it is still ahead).
    rig.rackbeat.configure({ latencyMs: 100 });
    for (let i = 0; i < 20; i++) rig.place();
    expect((await plugin.push()).status).toBe("delivered");
    // The write-ahead log is emptied first: SQLite reuses a log's space, so with room left in it small
    // writes would still succeed for a while; this way every write after the fill needs new space.
    bridge.ctx.store.sqlite!.pragma("wal_checkpoint(TRUNCATE)");
    const filler = join(dir, "filler");
    const filled = fill(filler);
    const inRackbeatWhenFull = rig.rackbeat.listOrders().length;

    // Orders keep coming; the plugin pushes each. The first refusal may take a few events (the
    // write-ahead log reuses space it already has).
    let refused: Awaited<ReturnType<typeof plugin.push>> | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      rig.place();
      const push = await plugin.push();
      if (push.status === "failed") refused = push;
    }
    expect(refused, "the bridge never refused an event on a full disk").toBeDefined();
    expect(refused!.failedStatus).toBe(507);
    expect(refused!.error).toMatch(/disk_full/);
    // What a person reads: the disk is full, which store, and that nothing accepted is lost.
    const probe = await signedFetch(bridge.url, rig, "POST", `/v1/shops/${rig.shopId}/events`, {
      events: [{ event_id: randomUUID(), topic: "shop.heartbeat", resource_id: 0, occurred_at: new Date().toISOString() }],
    });
    expect(probe.status).toBe(507);
    const answer = (await probe.json()) as { error: string; message: string };
    expect(answer.error).toBe("disk_full");
    expect(answer.message).toContain("disk is full");
    expect(answer.message).toContain(bridge.ctx.store.location);

    // More orders while the disk stays full: all kept in the outbox.
    for (let i = 0; i < 10; i++) rig.place();
    expect((await plugin.push()).failedStatus).toBe(507);
    const refusedWhileFull = plugin.pending();
    expect(refusedWhileFull).toBeGreaterThanOrEqual(20);
    // The workers meet the full disk too; the bridge stays up.
    await sleep(1_000);
    expect((await fetch(`${bridge.url}/healthz`)).status).toBe(200);
    const workersSaidFull = bridge.logText().split("\n").filter((l) => l.includes(`"msg":"the store's disk is full`)).length;
    const inRackbeatBeforeFree = rig.rackbeat.listOrders().length;
    // Every event it acknowledged is stored.
    const acknowledged = plugin.rows().filter((r) => r.ackedAt !== null);
    const stored = new Set(
      (await db.selectFrom("jobs").select("idempotency_key").where("kind", "like", "event:%").execute()).map((j) => j.idempotency_key),
    );
    const missing = acknowledged.filter((r) => !stored.has(`event:${rig!.shopId}:${r.event_id}`));
    expect(missing).toEqual([]);

    // Space is back: the refused events are taken and everything is processed.
    rmSync(filler);
    const delivery = rig.startDelivery(50);
    await waitFor(() => plugin.pending() === 0, "the outbox delivered once space is back");
    await rig.drained(db);
    await delivery.stop();

    reportDrill("full-disk", rig.tally(), {
      filler_bytes: filled,
      in_rackbeat_when_full: inRackbeatWhenFull,
      refused_while_full: refusedWhileFull,
      push_failures: plugin.stats.pushFailures,
      in_rackbeat_before_free: inRackbeatBeforeFree,
      worker_full_disk_logs: workersSaidFull,
    });
    expect(rig.tally().writtenBack).toBe(rig.placed.length);
    expect(await jobCount(db, "parked")).toBe(0);
    // The workers met the full disk, said so, and kept their work until it could be recorded.
    expect(workersSaidFull).toBeGreaterThan(0);
    // …their activity steps too: every order's record holds its export and write-back steps.
    const exported = await db
      .selectFrom("activity_records")
      .select(["activity_records.id", (eb) => eb.fn.countAll<number>().as("n")])
      .innerJoin("activity_steps", "activity_steps.record_id", "activity_records.id")
      .where("activity_records.subject_type", "=", "order")
      .where((eb) => eb.or([eb("activity_steps.action", "=", "create Rackbeat order"), eb("activity_steps.action", "=", "check earlier attempt"), eb("activity_steps.action", "=", "write back to WooCommerce")]))
      .groupBy("activity_records.id")
      .execute();
    expect(exported.length).toBe(rig.placed.length);
  }, 120_000);
});
