/**
 * A WordPress REST error: HTTP status + `{code, message, data: {status, …}}`.
 * [recorded] api/4xx-*.json — every WooCommerce error has this shape.
 */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extraData: Record<string, unknown> = {},
  ) {
    super(message);
  }

  body(): { code: string; message: string; data: Record<string, unknown> } {
    return { code: this.code, message: this.message, data: { status: this.status, ...this.extraData } };
  }
}

/** rest_invalid_param for one parameter, with WordPress's `params` and `details`. */
export function invalidParam(param: string, message: string, detailCode: string): RestError {
  return new RestError(400, "rest_invalid_param", `Invalid parameter(s): ${param}`, {
    params: { [param]: message },
    details: { [param]: { code: detailCode, message, data: null } },
  });
}

export const invalidId = (resource: "product" | "product_variation" | "shop_order", status = 404): RestError =>
  new RestError(status, `woocommerce_rest_${resource}_invalid_id`, "Invalid ID.");
