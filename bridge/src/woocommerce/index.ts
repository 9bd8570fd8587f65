/** The bridge's WooCommerce REST v3 adapter: client, schemas, errors, batch helpers, SKU index. */
export {
  createWooClient,
  wooGmt,
  type WooClient,
  type WooClientOptions,
  type WooOrderPatch,
  type WooOrderQuery,
  type WooPage,
  type WooProductPatch,
  type WooProductQuery,
  type WooSkuMatch,
  type WooStockOutcome,
  type WooStockUpdate,
  type WooStoreSettings,
  type WooVariationPatch,
} from "./woo-client.js";
export { WooHttp, toWooError, type WooConnection, type WooHttpOptions, type WooRequest, type WooResponse, type WooRetryOptions } from "./woo-http.js";
export { WooAuthFailed, WooNotFound, WooRateLimited, WooRejected, WooResponseInvalid, WooShopNotConnected, WooTimeout, WooUnavailable } from "./woo-errors.js";
export { wooClientFor, type WooClientContext } from "./shop-woo-client.js";
export { WOO_BATCH_LIMIT, chunkBatch, collectBatch, emptyOutcome, type BatchFailure, type BatchOutcome, type BatchRequest } from "./woo-batch.js";
export { SkuIndex, skuKey, type SkuClash, type SkuIndexBuild, type SkuRef } from "./sku-index.js";
export * from "./woo-schemas.js";
