/**
 * Errors the sandbox's domain raises; the HTTP layer turns them into Rackbeat's responses.
 * Bodies follow Laravel's shapes: rackbeat-api.md §3.2 (DEV `errors`) for 422, and the doc's
 * "Open questions" default `{"message": ...}` for 404.
 */
export class SandboxValidationError extends Error {
  constructor(readonly errors: Record<string, string[]>) {
    super(laravelMessage(errors));
    this.name = "SandboxValidationError";
  }
}

export class SandboxNotFoundError extends Error {
  constructor(what = "Not found.") {
    super(what);
    this.name = "SandboxNotFoundError";
  }
}

/** Laravel 9+ summarises a validation failure as the first message plus a count of the others. */
function laravelMessage(errors: Record<string, string[]>): string {
  const all = Object.values(errors).flat();
  const first = all[0] ?? "The given data was invalid.";
  const more = all.length - 1;
  if (more <= 0) return first;
  return `${first} (and ${more} more error${more === 1 ? "" : "s"})`;
}

/** Collects field errors while a payload is checked, then throws them all at once. */
export class FieldErrors {
  readonly errors: Record<string, string[]> = {};

  add(path: string, message: string): void {
    (this.errors[path] ??= []).push(message);
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw new SandboxValidationError(this.errors);
  }
}
