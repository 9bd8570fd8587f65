/**
 * End to end: the admin page (admin-ui/ built into plugin/build/) in Debian's Chromium, driven by
 * playwright-core, against the real WordPress 6.1 of the plugin tests (test/wordpress/), a real
 * bridge (test/helpers/bridge.ts) and the Rackbeat sandbox behind it.
 *
 * The bridge's order handler here is a stand-in (the orders feature is built elsewhere): it refuses
 * the first order it sees as Rackbeat would refuse bad data, so the job parks, and succeeds after a
 * retry. Everything between the browser and that handler is the real thing: the page, the plugin's
 * REST proxy and signing, the outbox delivery, the bridge's queue, activity and retry routes.
 *
 * Screenshots of every screen go to test/artifacts/ (ignored by git).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rackbeatAccountFeature } from "../../bridge/src/account/rackbeat-account.js";
import type { Feature } from "../../bridge/src/context.js";
import { eventJobKind } from "../../bridge/src/intake/events.js";
import { UpstreamRejected } from "../../bridge/src/lib/errors.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { REPO, WORK, php, placeOrder, resetWp, runDelivery, wpState } from "../wordpress/harness/wp.js";

const ARTIFACTS = join(REPO, "test", "artifacts");
const CHROMIUM = "/usr/bin/chromium";
const PAGE_PATH = "/wp-admin/admin.php?page=rackbeat-connector";

let bridge: TestBridge;
let sandbox: RackbeatSandbox;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const orderRuns: { id: number; attempt: number }[] = [];

/**
 * Stand-in for the orders feature's handler: while `refuseOrders` is on, every order job is refused
 * as Rackbeat refuses bad data (non-retryable → parked); once the cause is "fixed", a retry passes.
 */
let refuseOrders = true;
const standInOrders: Feature = {
  name: "e2e-orders",
  handlers() {
    const handler = {
      async run(payload: unknown, job: { step(a: string, o: string, d?: unknown): Promise<void> }) {
        const resource = (payload as { event?: { resource_id?: number } }).event?.resource_id ?? 0;
        orderRuns.push({ id: resource, attempt: orderRuns.length + 1 });
        if (refuseOrders) {
          await job.step("create order in Rackbeat", "refused", { message: "article number SHIPPING does not exist" });
          throw new UpstreamRejected("Rackbeat refused the order: article number SHIPPING does not exist");
        }
        await job.step("create order in Rackbeat", "done", { message: "order created" });
      },
    };
    return new Map(["order.created", "order.status_changed", "order.updated"].map((topic) => [eventJobKind(topic as never), handler]));
  },
};

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function openTab(title: string): Promise<void> {
  await page.getByRole("tab", { name: title, exact: true }).click();
}

async function shopId(): Promise<string> {
  const shops = await bridge.ctx.shops.list();
  expect(shops).toHaveLength(1);
  return shops[0]!.id;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install --no-install-recommends chromium`);
  if (!existsSync(join(REPO, "plugin", "build", "index.asset.php"))) throw new Error("plugin/build is missing: run npm run build in admin-ui/");
  mkdirSync(ARTIFACTS, { recursive: true });
  rmSync(join(WORK, "admin-build"), { recursive: true, force: true });
  await resetWp();
  sandbox = await startRackbeatSandbox();
  bridge = await startTestBridge({
    env: { RACKBEAT_BASE_URL: sandbox.baseUrl },
    features: [rackbeatAccountFeature, standInOrders],
    runWorkers: true,
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  const { WP_URL, ADMIN_USER, ADMIN_PASS } = wpState();
  await page.goto(`${WP_URL}/wp-login.php`);
  await page.fill("#user_login", ADMIN_USER);
  await page.fill("#user_pass", ADMIN_PASS);
  await Promise.all([page.waitForURL("**/wp-admin/**"), page.click("#wp-submit")]);
});

// A failed step leaves a picture and the page's notices behind, to read what the page said.
afterEach(async (context) => {
  if (context.task.result?.state !== "fail" || !page) return;
  const name = context.task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
  await page.screenshot({ path: join(ARTIFACTS, `failed-${name}.png`), fullPage: true }).catch(() => undefined);
  const notices = await page.locator(".components-notice").allInnerTexts().catch(() => []);
  console.log(`[e2e] notices after "${context.task.name}":`, notices);
});

afterAll(async () => {
  await php("delete_option('WPLANG'); return true;").catch(() => undefined);
  await browser?.close();
  await bridge?.close();
  await sandbox?.close?.();
});

describe("the admin page in a real browser", () => {
  it("builds only against script handles WordPress 6.1 registers", async () => {
    const assetFile = join(REPO, "plugin", "build", "index.asset.php");
    const missing = await php<string[]>(
      `$deps = (require ${JSON.stringify(assetFile)})['dependencies'];
       return array_values(array_filter($deps, function ($h) { return !wp_script_is($h, 'registered'); }));`,
    );
    expect(missing).toEqual([]);
    expect(readFileSync(assetFile, "utf8")).not.toContain("react-jsx-runtime");
  });

  it("renders the overview natively in wp-admin, without script errors", async () => {
    const { WP_URL } = wpState();
    await page.goto(`${WP_URL}${PAGE_PATH}`);
    await page.getByRole("tab", { name: "Overview", exact: true }).waitFor();
    await page.getByText("Not connected yet.").waitFor();
    expect(await page.evaluate("getComputedStyle(document.querySelector('#adminmenuback')).backgroundColor")).toBe("rgb(29, 35, 39)");
    await shot("01-overview-unpaired");
    expect(pageErrors).toEqual([]);
  });

  it("connects with a pairing code from the bridge", async () => {
    await openTab("Connection");
    await page.getByLabel("Bridge address").fill("not a url");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.getByText("Nothing was saved", { exact: false }).first().waitFor();
    const { code } = await bridge.ctx.pairing.create("E2E shop");
    await page.getByLabel("Bridge address").fill(bridge.url);
    await page.getByLabel("Pairing code").fill(code);
    await page.getByRole("button", { name: "Connect" }).click();
    await page.locator(".rbc-connected").waitFor();
    expect(await shopId()).toMatch(/./);
    await shot("02-connection");
  });

  it("saves the Rackbeat token write-only and tests it", async () => {
    await page.locator('.rbc-token input[type="password"]').fill(sandbox.token);
    await page.getByRole("button", { name: "Save token" }).click();
    await page.getByText("Rackbeat accepted the token", { exact: false }).first().waitFor();
    await expect(page.getByLabel("Replace the Rackbeat API token").inputValue()).resolves.toBe("");
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText("Rackbeat accepted the token", { exact: false }).first().waitFor();
    expect(await page.content()).not.toContain(sandbox.token);
    await shot("03-connection-token");
  });

  it("changes order settings, refuses a bad article number, and the bridge has the change", async () => {
    await openTab("Orders");
    await page.getByLabel("Fees", { exact: true }).fill("FEE LINE");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("An article number cannot contain spaces.").first().waitFor();
    const id = await shopId();
    expect((await bridge.ctx.shops.get(id))?.settings).not.toMatchObject({ orders: { articleNumbers: { fee: "FEE LINE" } } });
    await page.getByLabel("Fees", { exact: true }).fill("GEBYR");
    await page.getByLabel("Draft (a person books them in Rackbeat)").check();
    await page.getByLabel("Order reference prefix").fill("WEB-");
    await page.getByRole("checkbox", { name: "On hold" }).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Settings saved in the bridge.").first().waitFor();
    const saved = (await bridge.ctx.shops.get(id))?.settings as { orders: Record<string, any> };
    expect(saved.orders).toMatchObject({ rackbeatOrderState: "draft", orderReferencePrefix: "WEB-", articleNumbers: { fee: "GEBYR" } });
    expect(saved.orders.transferOnStatuses).toEqual(expect.arrayContaining(["processing", "completed", "on-hold"]));
    await shot("04-orders");
  });

  it("changes product and stock settings", async () => {
    await openTab("Products");
    await page.getByLabel(/^WooCommerce → Rackbeat/).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Settings saved in the bridge.").first().waitFor();
    await shot("05-products");
    await openTab("Stock");
    await page.getByLabel("Buffer (units held back in this shop)").fill("-1");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("The buffer is a whole number of units, 0 or more.").first().waitFor();
    await page.getByLabel("Buffer (units held back in this shop)").fill("3");
    await page.getByLabel("On hand", { exact: true }).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Settings saved in the bridge.").first().waitFor();
    const saved = (await bridge.ctx.shops.get(await shopId()))?.settings as Record<string, any>;
    expect(saved.products.master).toBe("woo_to_rackbeat");
    expect(saved.stock).toMatchObject({ buffer: 3, figure: "on_hand" });
    // Earlier saves are kept: each screen saves its own group only.
    expect(saved.orders.orderReferencePrefix).toBe("WEB-");
    await shot("06-stock");
  });

  it("saves the alert address in the plugin", async () => {
    await openTab("Alerts");
    await page.getByLabel("Send the digest to").fill("ops@example.com");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Alert settings saved.").first().waitFor();
    expect(await php("return get_option('rackbeat_connector_alerts');")).toMatchObject({ email: "ops@example.com" });
    await shot("07-alerts");
  });

  it("copes with bridge routes this bridge does not have yet", async () => {
    for (const [tab, file] of [
      ["Shops", "08-shops"],
      ["Initial sync", "09-initial-sync"],
      ["Reconciliation", "10-reconciliation"],
    ] as const) {
      await openTab(tab);
      await page.locator(".rbc-route-missing, .rbc-table, progress").first().waitFor();
      await shot(file);
    }
    // The initial-sync route belongs to the products feature; this bridge runs without it.
    await openTab("Initial sync");
    await page.getByText("Your bridge does not offer the initial sync yet", { exact: false }).first().waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("shows a failed order parked with its timeline, retries it, and sees it done", async () => {
    const order = await placeOrder({ flow: "classic", payment: "card" });
    await runDelivery();
    const id = await shopId();
    await waitFor("the order to park", async () => (await bridge.ctx.activity.list(id, { state: "parked" })).length > 0).catch(async (error) => {
      const outbox = await php("global $wpdb; return $wpdb->get_results(\"SELECT seq, topic, resource_id, sent_at, acked_at FROM {$wpdb->prefix}rackbeat_connector_outbox\");").catch((e) => String(e));
      console.log("[e2e] order", order, "runs", orderRuns, "records", await bridge.ctx.activity.list(id, {}), "outbox", outbox);
      console.log("[e2e] bridge log tail", bridge.logText().split("\n").slice(-15).join("\n"));
      throw error;
    });
    await openTab("Activity");
    const row = page.locator("tr.rbc-record", { hasText: String(order) }).first();
    await row.getByText("Parked").waitFor();
    await row.getByRole("button", { name: "Show timeline" }).click();
    await page.getByText("refused", { exact: false }).first().waitFor();
    await shot("11-activity-parked");
    refuseOrders = false; // the owner fixes the article number in Rackbeat, then retries
    await page.locator(".rbc-timeline").getByRole("button", { name: "Retry" }).click();
    await waitFor("the retried order to finish", async () => (await bridge.ctx.activity.list(id, { state: "done" })).length > 0);
    expect(await bridge.ctx.activity.list(id, { state: "parked" })).toEqual([]);
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.locator("tr.rbc-record", { hasText: String(order) }).first().getByText("Done").waitFor();
    expect(orderRuns.length).toBeGreaterThanOrEqual(2);
    await shot("12-activity-done");
  });

  it("shows the overview with the bridge's facts", async () => {
    await openTab("Overview");
    await page.locator(".rbc-check-ok").first().waitFor();
    await shot("13-overview");
  });

  it("is in Danish when the site language is Danish", async () => {
    // WordPress only accepts a site language it has files for (sanitize_option WPLANG checks
    // get_available_languages()); Debian's package ships none, so give it an empty core catalogue,
    // as installing the Danish language pack would. The page's own strings come from plugin/languages.
    const language = await php<string>(`
      wp_mkdir_p(WP_LANG_DIR);
      if (!is_file(WP_LANG_DIR . '/da_DK.mo')) { $mo = new MO(); $mo->set_header('Language', 'da_DK'); $mo->export_to_file(WP_LANG_DIR . '/da_DK.mo'); }
      update_option('WPLANG', 'da_DK');
      return get_option('WPLANG');`);
    expect(language).toBe("da_DK");
    await page.reload();
    await page.getByRole("tab", { name: "Oversigt", exact: true }).waitFor();
    await page.getByRole("tab", { name: "Forbindelse", exact: true }).click();
    await page.getByText("Forbundet").first().waitFor();
    await shot("14-danish");
    await php("delete_option('WPLANG'); return true;");
    expect(pageErrors).toEqual([]);
  });
});
