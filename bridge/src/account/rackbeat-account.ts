import type { Router } from "express";
import { z } from "zod";
import type { BridgeContext, Feature } from "../context.js";
import { HttpError, badRequest, route } from "../http/errors.js";
import { errorMessage } from "../lib/errors.js";
import { RackbeatAuthFailed, type RackbeatClient, createRackbeatClient } from "../rackbeat/index.js";

export const RACKBEAT_TOKEN_KEY = "rackbeat.token";
const ACCOUNT_INFO_KEY = "rackbeat.account";

export class RackbeatTokenMissing extends Error {
  override name = "RackbeatTokenMissing";
  constructor() {
    super("No Rackbeat API token is set: enter it in wp-admin → WooCommerce → Rackbeat → Connection.");
  }
}

const clients = new WeakMap<BridgeContext, { token: string; client: RackbeatClient }>();

/**
 * The account's Rackbeat client, made from the stored token. One per bridge and token, so every
 * feature shares the token's rate gate (live traffic first, bulk work after).
 */
export async function rackbeatClient(ctx: BridgeContext): Promise<RackbeatClient> {
  const token = await ctx.account.getSecret(RACKBEAT_TOKEN_KEY);
  if (!token) throw new RackbeatTokenMissing();
  const cached = clients.get(ctx);
  if (cached && cached.token === token) return cached.client;
  const client = createRackbeatClient({
    token,
    baseUrl: ctx.config.RACKBEAT_BASE_URL,
    userAgent: { product: "rackbeat-connector-woocommerce", version: ctx.version, contact: ctx.config.CONTACT },
    timeoutMs: ctx.config.RACKBEAT_TIMEOUT_MS,
    backoff: { baseMs: ctx.config.RACKBEAT_RETRY_BASE_MS, maxMs: ctx.config.RACKBEAT_RETRY_MAX_MS },
    metrics: ctx.metrics,
    logger: ctx.log,
  });
  clients.set(ctx, { token, client });
  return client;
}

interface AccountInfo {
  valid: boolean;
  account_id: number | null;
  account_name: string | null;
  checked_at: string;
  reason?: string;
}

/** `GET /self` with the stored token; remembers the verdict for the status route. */
export async function testRackbeatToken(ctx: BridgeContext): Promise<AccountInfo> {
  let info: AccountInfo;
  try {
    const self = await (await rackbeatClient(ctx)).self();
    info = {
      valid: true,
      account_id: self.user_account.id,
      account_name: self.user_account.company_name ?? null,
      checked_at: new Date(ctx.now()).toISOString(),
    };
  } catch (error) {
    const reason =
      error instanceof RackbeatTokenMissing
        ? error.message
        : error instanceof RackbeatAuthFailed
          ? "Rackbeat refused the token (401): check that it is a current API token for this account."
          : `Rackbeat could not be reached: ${errorMessage(error)}`;
    info = { valid: false, account_id: null, account_name: null, checked_at: new Date(ctx.now()).toISOString(), reason };
  }
  await ctx.account.set(ACCOUNT_INFO_KEY, info);
  return info;
}

const tokenBodySchema = z.strictObject({
  token: z.string().trim().min(20, "must be a Rackbeat API token (at least 20 characters)").max(4096),
});

/** protocol.md §5: set (write-only) and test the account's Rackbeat token. */
export const rackbeatAccountFeature: Feature = {
  name: "rackbeat",
  signedRoutes(router: Router, ctx: BridgeContext) {
    router.put(
      "/v1/account/rackbeat-token",
      route(async (req, res) => {
        const parsed = tokenBodySchema.safeParse(req.json);
        if (!parsed.success) throw badRequest(parsed.error, "token");
        await ctx.account.setSecret(RACKBEAT_TOKEN_KEY, parsed.data.token);
        ctx.log.info({ by: req.signedBy }, "Rackbeat token replaced");
        const info = await testRackbeatToken(ctx);
        res.json({ saved: true, token_set: true, ...info });
      }),
    );
    router.post(
      "/v1/account/test",
      route(async (_req, res) => {
        // Refused before testing, so a refused request leaves the stored test result alone.
        if ((await ctx.account.get(RACKBEAT_TOKEN_KEY)) === undefined) throw new HttpError(409, "token_missing", new RackbeatTokenMissing().message);
        const info = await testRackbeatToken(ctx);
        if (!info.valid && info.reason?.startsWith("No Rackbeat API token")) {
          throw new HttpError(409, "token_missing", info.reason);
        }
        res.json({ token_set: true, ...info });
      }),
    );
  },
  async status(_shopId, ctx) {
    const tokenSet = (await ctx.account.get(RACKBEAT_TOKEN_KEY)) !== undefined;
    const info = await ctx.account.get<AccountInfo>(ACCOUNT_INFO_KEY);
    return { token_set: tokenSet, ...(info ?? { valid: null, account_name: null, checked_at: null }) };
  },
};
