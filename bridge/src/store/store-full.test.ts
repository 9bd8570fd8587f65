import { describe, expect, it } from "vitest";
import { isStoreFull, storeFullMessage } from "./store-full.js";

describe("isStoreFull", () => {
  it("knows SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100) and ENOSPC, also as a cause", () => {
    const sqlite = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    const postgres = Object.assign(new Error("could not extend file"), { code: "53100" });
    const file = Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    for (const e of [sqlite, postgres, file]) expect(isStoreFull(e)).toBe(true);
    expect(isStoreFull(new Error("export failed", { cause: new Error("write failed", { cause: sqlite }) }))).toBe(true);
  });

  it("is false for every other error", () => {
    expect(isStoreFull(Object.assign(new Error("busy"), { code: "SQLITE_BUSY" }))).toBe(false);
    expect(isStoreFull(Object.assign(new Error("unique"), { code: "23505" }))).toBe(false);
    expect(isStoreFull(new Error("database or disk is full"))).toBe(false);
    expect(isStoreFull(undefined)).toBe(false);
    expect(isStoreFull("SQLITE_FULL")).toBe(false);
  });

  it("says which store is full and that nothing accepted is lost", () => {
    const message = storeFullMessage("/var/lib/rackbeat/bridge.sqlite");
    expect(message).toContain("/var/lib/rackbeat/bridge.sqlite");
    expect(message).toMatch(/disk is full/);
    expect(message).toMatch(/Nothing already accepted is lost/);
  });
});
