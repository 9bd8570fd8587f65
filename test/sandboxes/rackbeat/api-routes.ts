/**
 * The sandbox's `/api` resource routes. Envelopes [doc §2.1]: singles `{<singular>: {...}}` with
 * 200, creates 201, updates 200 (partial PUT), deletes 200 [doc §2.2, §7.4]; lists go through
 * list-query.ts (206). Errors: 422 `{message, errors}`, 404 `{message: "Not found."}` [doc §3.2,
 * doc default]. Auth, rate limit and faults are applied before these routes (index.ts).
 */
import express, { type Request, type Response, type Router } from "express";
import { listResponse, project, type ListSpec, type Query } from "./list-query.js";
import { SandboxNotFoundError, SandboxValidationError } from "./sandbox-errors.js";
import { isBooleanTrue, isRecord, type Body } from "./payload-readers.js";
import type {
  AdjustmentRecord,
  ContactRecord,
  CustomerRecord,
  LocationRecord,
  OrderRecord,
  ProductGroupRecord,
  ProductRecord,
  SandboxState,
  ShipmentRecord,
  WebhookRecord,
  WriteContext,
} from "./sandbox-state.js";
import type { WebhookDispatcher } from "./webhook-dispatcher.js";

type Handler = (req: Request, res: Response) => void;

/** Turns domain errors into Rackbeat's responses. */
function handle(fn: Handler): Handler {
  return (req, res) => {
    try {
      fn(req, res);
    } catch (error) {
      if (error instanceof SandboxValidationError) {
        res.status(422).json({ message: error.message, errors: error.errors });
      } else if (error instanceof SandboxNotFoundError) {
        res.status(404).json({ message: "Not found." });
      } else {
        res.status(500).json({ message: "Server Error" });
      }
    }
  };
}

function body(req: Request): Body {
  return isRecord(req.body) ? (req.body as Body) : {};
}

/** `suppress_webhooks` as query or body flag [doc §4.8, DEV monitoring-security; KG]. */
export function writeContext(req: Request): WriteContext {
  const query = req.query as Query;
  return { suppressWebhooks: isBooleanTrue(query.suppress_webhooks) || isBooleanTrue(body(req).suppress_webhooks) };
}

function param(req: Request, name: string): string {
  const value = (req.params as Record<string, string | undefined>)[name];
  if (value === undefined) throw new SandboxNotFoundError();
  return value;
}

function single(req: Request, res: Response, status: number, key: string, view: Record<string, unknown>): void {
  const fields = typeof req.query.fields === "string" ? req.query.fields.split(",").map((f) => f.trim()) : undefined;
  res.status(status).json({ [key]: project(view, fields) });
}

function list<R>(req: Request, res: Response, records: Iterable<R>, spec: ListSpec<R>): void {
  const result = listResponse(records, req.query as Query, spec);
  res.status(result.status).json(result.body);
}

export function apiRoutes(state: SandboxState, dispatcher: WebhookDispatcher): Router {
  const r = express.Router();

  // ── specs for lists ──
  const productSpec: ListSpec<ProductRecord> = {
    plural: "products",
    serialize: (p) => state.serializeProduct(p),
    searchText: (p) => [p.number, p.name, p.barcode],
    filterable: "all",
    simpleFilterable: "all",
  };
  const itemSpec: ListSpec<ProductRecord> = { ...productSpec, plural: "items" };
  const groupSpec: ListSpec<ProductGroupRecord> = {
    plural: "product_groups",
    serialize: (g) => state.serializeGroup(g),
    searchText: (g) => [g.number, g.name],
    filterable: "all",
    simpleFilterable: "all",
  };
  const locationSpec: ListSpec<LocationRecord> = {
    plural: "locations",
    serialize: (l) => state.serializeLocation(l),
    searchText: (l) => [l.number, l.name, l.barcode],
    filterable: "all",
    simpleFilterable: "all",
  };
  const referenceFilters = (on: boolean, base: string[], byReference: string[]) => new Set(on ? [...base, ...byReference] : base);
  const customerSpec = (): ListSpec<CustomerRecord> => ({
    plural: "customers",
    serialize: (c) => state.serializeCustomer(c),
    searchText: (c) => state.customerSearchText(c),
    // Plain filters; e-mail only while reference search is on [sandbox-only switch].
    filterable: referenceFilters(state.options.referenceSearch, ["number", "company_vat", "ean", "is_barred", "vat_zone", "name"], ["contact_email"]),
    simpleFilterable: referenceFilters(state.options.referenceSearch, ["number", "company_vat", "ean", "is_barred", "created_at", "updated_at"], ["contact_email"]),
  });
  const contactSpec: ListSpec<ContactRecord> = {
    plural: "customer_contacts",
    serialize: (c) => state.serializeContact(c),
    searchText: (c) => [c.name, c.contact_email],
    filterable: "all",
    simpleFilterable: "all",
  };
  // Orders: plain is_booked, is_shipped, is_cancelled, customer_id, number; simple_filter only
  // number, created_at, updated_at (422 otherwise) [doc default, from the MSKU/LC conflict].
  const orderSpec = (): ListSpec<OrderRecord> => ({
    plural: "orders",
    serialize: (o) => state.serializeOrder(o),
    searchText: (o) => state.orderSearchText(o),
    filterable: referenceFilters(state.options.referenceSearch, ["is_booked", "is_shipped", "is_cancelled", "customer_id", "number"], ["other_reference", "heading"]),
    simpleFilterable: new Set(["number", "created_at", "updated_at"]),
  });
  const shipmentSpec: ListSpec<ShipmentRecord> = {
    plural: "order_shipments",
    serialize: (s) => ({ ...state.serializeShipment(s), order_number: s.order_number }),
    searchText: (s) => [s.id, s.order_number],
    filterable: new Set(["order_number", "is_shipped", "is_picked"]),
    simpleFilterable: "all",
  };
  const adjustmentSpec: ListSpec<AdjustmentRecord> = {
    plural: "inventory_adjustments",
    serialize: (a) => state.serializeAdjustment(a),
    searchText: (a) => [a.item_number],
    filterable: "all",
    simpleFilterable: "all",
  };
  const webhookSpec: ListSpec<WebhookRecord> = {
    plural: "webhooks",
    serialize: (w) => state.serializeWebhook(w, false),
    filterable: new Set(["event", "url", "is_active"]),
    simpleFilterable: "all",
  };

  // ── account ──
  r.get("/self", handle((_req, res) => void res.status(200).json(state.self())));

  // ── items (read-only generic interface, key item/items) [doc §4.1, LC ItemResource] ──
  r.get("/items", handle((req, res) => list(req, res, state.products.values(), itemSpec)));
  r.get("/items/:number", handle((req, res) => single(req, res, 200, "item", state.serializeProduct(state.productOr404(param(req, "number"))))));
  const itemLocations: Handler = (req, res) => {
    const product = state.productOr404(param(req, "number"));
    list(req, res, state.productLocations(product), { plural: "locations", serialize: (l) => state.stockAtLocation(product, l), filterable: "all", simpleFilterable: "all" });
  };
  // [doc §4.2: A4S /items/{item}/locations; LC ItemLocationAvailableStockResource]
  r.get("/items/:number/locations", handle(itemLocations));
  r.get("/items/:number/locations/available", handle(itemLocations));
  r.get(
    "/items/:number/locations/available/:location",
    handle((req, res) => {
      const product = state.productOr404(param(req, "number"));
      const location = state.locations.get(Number(param(req, "location")));
      if (!location) throw new SandboxNotFoundError();
      single(req, res, 200, "location", state.stockAtLocation(product, location));
    }),
  );

  // ── products [doc §4.1, LC ProductResource; TOOLS] ──
  r.get("/products", handle((req, res) => list(req, res, state.products.values(), productSpec)));
  r.post(
    "/products",
    handle((req, res) => single(req, res, 201, "product", state.serializeProduct(state.createProduct(body(req), writeContext(req))))),
  );
  r.get("/products/:number", handle((req, res) => single(req, res, 200, "product", state.serializeProduct(state.productOr404(param(req, "number"))))));
  r.put(
    "/products/:number",
    handle((req, res) => {
      const product = state.productOr404(param(req, "number"));
      single(req, res, 200, "product", state.serializeProduct(state.updateProduct(product, body(req), writeContext(req))));
    }),
  );
  r.delete(
    "/products/:number",
    handle((req, res) => {
      const product = state.productOr404(param(req, "number"));
      state.deleteProduct(product);
      res.status(200).json({ product: state.serializeProduct(product) });
    }),
  );
  // `product_locations` / `product_location` [doc §4.2, KG Models/Product.php]
  r.get(
    "/products/:number/locations",
    handle((req, res) => {
      const product = state.productOr404(param(req, "number"));
      list(req, res, state.productLocations(product), { plural: "product_locations", serialize: (l) => state.stockAtLocation(product, l), filterable: "all", simpleFilterable: "all" });
    }),
  );
  r.get(
    "/products/:number/locations/:location",
    handle((req, res) => {
      const product = state.productOr404(param(req, "number"));
      const location = state.locations.get(Number(param(req, "location")));
      if (!location) throw new SandboxNotFoundError();
      single(req, res, 200, "product_location", state.stockAtLocation(product, location));
    }),
  );

  // ── product groups [doc §4.1, DEV; LC; TOOLS create-groups.py] ──
  r.get("/product-groups", handle((req, res) => list(req, res, state.groups.values(), groupSpec)));
  r.post("/product-groups", handle((req, res) => single(req, res, 201, "product_group", state.serializeGroup(state.createProductGroup(body(req))))));
  r.get(
    "/product-groups/:number",
    handle((req, res) => {
      const g = state.groups.get(Number(param(req, "number")));
      if (!g) throw new SandboxNotFoundError();
      single(req, res, 200, "product_group", state.serializeGroup(g));
    }),
  );

  // ── locations [doc §4.2, SW; SQLR] ──
  r.get("/locations", handle((req, res) => list(req, res, state.locations.values(), locationSpec)));
  r.get("/locations/flat", handle((req, res) => list(req, res, state.locations.values(), locationSpec)));
  r.post("/locations", handle((req, res) => single(req, res, 201, "location", state.serializeLocation(state.createLocation(body(req))))));
  r.get(
    "/locations/:number",
    handle((req, res) => {
      const l = state.locations.get(Number(param(req, "number")));
      if (!l) throw new SandboxNotFoundError();
      single(req, res, 200, "location", state.serializeLocation(l));
    }),
  );
  // Unwrapped `{stock_quantity, in_order_quantity, available_quantity, purchased_quantity}` [doc §4.2, SW InlineResponse2007]
  r.get(
    "/locations/:number/get-stock/:item",
    handle((req, res) => {
      const l = state.locations.get(Number(param(req, "number")));
      if (!l) throw new SandboxNotFoundError();
      const { number: _n, name: _name, ...figures } = state.stockAtLocation(state.productOr404(param(req, "item")), l);
      res.status(200).json(figures);
    }),
  );

  // ── customers (+ contacts) [doc §4.3] ──
  r.get("/customers", handle((req, res) => list(req, res, state.customers.values(), customerSpec())));
  r.post("/customers", handle((req, res) => single(req, res, 201, "customer", state.serializeCustomer(state.createCustomer(body(req))))));
  r.get("/customers/:number", handle((req, res) => single(req, res, 200, "customer", state.serializeCustomer(state.customerOr404(param(req, "number"))))));
  r.put(
    "/customers/:number",
    handle((req, res) => {
      const c = state.customerOr404(param(req, "number"));
      single(req, res, 200, "customer", state.serializeCustomer(state.updateCustomer(c, body(req))));
    }),
  );
  r.get("/customers/:number/contacts", handle((req, res) => list(req, res, state.customerOr404(param(req, "number")).contacts, contactSpec)));
  r.post(
    "/customers/:number/contacts",
    handle((req, res) => {
      const c = state.customerOr404(param(req, "number"));
      single(req, res, 201, "customer_contact", state.serializeContact(state.createContact(c, body(req))));
    }),
  );

  // ── orders [doc §4.4] ──
  r.get("/orders", handle((req, res) => list(req, res, state.orders.values(), orderSpec())));
  r.post("/orders", handle((req, res) => single(req, res, 201, "order", state.serializeOrder(state.createOrder(body(req), true, writeContext(req))))));
  r.get("/orders/drafts", handle((req, res) => list(req, res, [...state.orders.values()].filter((o) => !o.is_booked), orderSpec())));
  r.post("/orders/drafts", handle((req, res) => single(req, res, 201, "order", state.serializeOrder(state.createOrder(body(req), false, writeContext(req))))));
  // `POST /orders/shipments/{id}/mark-shipped` {pick} [doc §4.5, KG OrderShipment::markShipped]
  r.post(
    "/orders/shipments/:id/mark-shipped",
    handle((req, res) => {
      const s = state.shipmentOr404(param(req, "id"));
      single(req, res, 200, "order_shipment", state.serializeShipment(state.markShipped(s, writeContext(req))));
    }),
  );
  r.get("/orders/:number", handle((req, res) => single(req, res, 200, "order", state.serializeOrder(state.orderOr404(param(req, "number"))))));
  r.put(
    "/orders/:number",
    handle((req, res) => {
      const o = state.orderOr404(param(req, "number"));
      single(req, res, 200, "order", state.serializeOrder(state.updateOrder(o, body(req), writeContext(req))));
    }),
  );
  r.delete(
    "/orders/:number",
    handle((req, res) => {
      const o = state.orderOr404(param(req, "number"));
      const view = state.serializeOrder(o);
      state.deleteOrder(o);
      res.status(200).json({ order: view });
    }),
  );
  r.post(
    "/orders/:number/book",
    handle((req, res) => {
      const o = state.orderOr404(param(req, "number"));
      single(req, res, 200, "order", state.serializeOrder(state.bookOrder(o, writeContext(req))));
    }),
  );
  r.get(
    "/orders/:number/lines",
    handle((req, res) => {
      const view = state.serializeOrder(state.orderOr404(param(req, "number")));
      const lines = view.lines as Record<string, unknown>[];
      list(req, res, lines, { plural: "order_lines", serialize: (l) => l, filterable: "all", simpleFilterable: "all" });
    }),
  );
  r.post(
    "/orders/:number/create-shipment",
    handle((req, res) => single(req, res, 201, "order_shipment", state.serializeShipment(state.createShipment(state.orderOr404(param(req, "number")))))),
  );
  r.get(
    "/orders/:number/shipments",
    handle((req, res) => {
      const o = state.orderOr404(param(req, "number"));
      list(req, res, [...state.shipments.values()].filter((s) => s.order_number === o.number), shipmentSpec);
    }),
  );
  r.get(
    "/orders/:number/notes",
    handle((req, res) => {
      const o = state.orderOr404(param(req, "number"));
      list(req, res, o.notes, { plural: "order_notes", serialize: (n) => state.serializeNote(n), filterable: "all", simpleFilterable: "all" });
    }),
  );
  r.post(
    "/orders/:number/notes",
    handle((req, res) => {
      const o = state.orderOr404(param(req, "number"));
      single(req, res, 201, "order_note", state.serializeNote(state.addNote(o, body(req))));
    }),
  );
  r.post(
    "/orders/:number/convert-to-invoice",
    handle((req, res) => {
      const o = state.orderOr404(param(req, "number"));
      const book = isBooleanTrue((req.query as Query).book) || isBooleanTrue(body(req).book);
      res.status(200).json({ invoice_id: state.convertToInvoice(o, book, writeContext(req)) });
    }),
  );

  // ── shipments [doc §4.5] ──
  r.get("/order-shipments", handle((req, res) => list(req, res, state.shipments.values(), shipmentSpec)));
  r.get("/order-shipments/:id", handle((req, res) => single(req, res, 200, "order_shipment", state.serializeShipment(state.shipmentOr404(param(req, "id"))))));

  // ── inventory adjustments [doc §4.2] ──
  r.get("/inventory-adjustments", handle((req, res) => list(req, res, state.adjustments.values(), adjustmentSpec)));
  r.post(
    "/inventory-adjustments",
    handle((req, res) => single(req, res, 201, "inventory_adjustment", state.serializeAdjustment(state.createAdjustment(body(req), writeContext(req))))),
  );

  // ── webhooks [doc §4.8] ──
  r.get("/webhooks", handle((req, res) => list(req, res, state.webhooks.values(), webhookSpec)));
  r.post(
    "/webhooks",
    handle((req, res) => {
      const { webhook, created } = state.upsertWebhook(body(req));
      // 201 when created (token shown once), 200 when an existing (event, url) was updated [inferred].
      res.status(created ? 201 : 200).json({ webhook: state.serializeWebhook(webhook, created) });
    }),
  );
  r.get("/webhooks/:id", handle((req, res) => single(req, res, 200, "webhook", state.serializeWebhook(state.webhookOr404(param(req, "id")), false))));
  r.put(
    "/webhooks/:id",
    handle((req, res) => single(req, res, 200, "webhook", state.serializeWebhook(state.updateWebhook(state.webhookOr404(param(req, "id")), body(req)), false))),
  );
  r.delete(
    "/webhooks/:id",
    handle((req, res) => {
      const w = state.webhookOr404(param(req, "id"));
      state.webhooks.delete(w.id);
      res.status(200).json({ webhook: state.serializeWebhook(w, false) });
    }),
  );
  r.get(
    "/webhooks/:id/logs",
    handle((req, res) => {
      const w = state.webhookOr404(param(req, "id"));
      const logs = dispatcher.log.filter((l) => l.webhook_id === w.id);
      list(req, res, logs, { plural: "webhook_logs", serialize: (l) => ({ ...l }), filterable: "all", simpleFilterable: "all" });
    }),
  );

  // Anything else under /api: Laravel's 404.
  r.use((_req, res) => void res.status(404).json({ message: "Not found." }));
  return r;
}
