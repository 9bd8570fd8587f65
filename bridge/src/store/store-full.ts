/**
 * The store's disk is full: SQLite answers SQLITE_FULL (the file or its WAL cannot grow), PostgreSQL
 * SQLSTATE 53100 (disk_full); a file the bridge writes beside the store fails with ENOSPC. Nothing that
 * was committed is lost — the refused write is rolled back — and the same write succeeds once space is
 * freed. The HTTP layer answers 507 naming the disk, and the job runner waits instead of burning the
 * job's attempts (jobs/runner.ts).
 */
const FULL_CODES = new Set(["SQLITE_FULL", "53100", "ENOSPC"]);

/** True when `error` (or one of its causes) says the store's disk is full. */
export function isStoreFull(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && FULL_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Words for a person: what is full and what happens to the data. */
export function storeFullMessage(location: string): string {
  return (
    `The bridge's disk is full: its store (${location}) cannot take new data. ` +
    "Nothing already accepted is lost; new work is refused until space is freed on that disk, then it resumes by itself."
  );
}
