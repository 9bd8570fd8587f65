import type { Kysely } from "kysely";
import type { Database } from "../../store/schema.js";

export interface ProductLink {
  shopId: string;
  wooId: number;
  wooParentId: number | null;
  rackbeatNumber: string;
  barredByBridge: boolean;
}

/**
 * Which Rackbeat product each WooCommerce product or variation is. Keyed on WooCommerce ids, not
 * SKUs, so a changed SKU is seen as a rename of the same product (design.md §4 "SKU renames").
 */
export class ProductLinks {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(shopId: string, wooId: number): Promise<ProductLink | undefined> {
    const row = await this.db
      .selectFrom("product_links")
      .selectAll()
      .where("shop_id", "=", shopId)
      .where("woo_id", "=", wooId)
      .executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  async byNumber(shopId: string, rackbeatNumber: string): Promise<ProductLink[]> {
    const rows = await this.db
      .selectFrom("product_links")
      .selectAll()
      .where("shop_id", "=", shopId)
      .where("rackbeat_number", "=", rackbeatNumber)
      .execute();
    return rows.map(toLink);
  }

  /** The links of a variable product's variations. */
  async children(shopId: string, parentId: number): Promise<ProductLink[]> {
    const rows = await this.db
      .selectFrom("product_links")
      .selectAll()
      .where("shop_id", "=", shopId)
      .where("woo_parent_id", "=", parentId)
      .execute();
    return rows.map(toLink);
  }

  async save(link: ProductLink): Promise<void> {
    const at = this.now();
    await this.db
      .insertInto("product_links")
      .values({
        shop_id: link.shopId,
        woo_id: link.wooId,
        woo_parent_id: link.wooParentId,
        rackbeat_number: link.rackbeatNumber,
        barred_by_bridge: link.barredByBridge ? 1 : 0,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(["shop_id", "woo_id"]).doUpdateSet({
          woo_parent_id: link.wooParentId,
          rackbeat_number: link.rackbeatNumber,
          barred_by_bridge: link.barredByBridge ? 1 : 0,
          updated_at: at,
        }),
      )
      .execute();
  }
}

function toLink(row: { shop_id: string; woo_id: number; woo_parent_id: number | null; rackbeat_number: string; barred_by_bridge: number }): ProductLink {
  return {
    shopId: row.shop_id,
    wooId: Number(row.woo_id),
    wooParentId: row.woo_parent_id === null ? null : Number(row.woo_parent_id),
    rackbeatNumber: row.rackbeat_number,
    barredByBridge: Number(row.barred_by_bridge) === 1,
  };
}
