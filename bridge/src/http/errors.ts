import type { NextFunction, Request, Response } from "express";
import type { z } from "zod";

/** protocol.md §5: every error is `{error, message, details?}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function zodDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

export function badRequest(error: z.ZodError, what = "request body"): HttpError {
  const details = zodDetails(error);
  const first = details[0];
  const summary = first ? ` (${first.path || "body"}: ${first.message}${details.length > 1 ? `, and ${details.length - 1} more` : ""})` : "";
  return new HttpError(400, "invalid_request", `The ${what} is not valid${summary}.`, details);
}

export function sendError(res: Response, error: HttpError): void {
  if (error.headers) res.set(error.headers);
  res.status(error.status).json({
    error: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
  });
}

/** Wraps an async route so a thrown HttpError becomes its JSON answer and anything else a 500. */
export function route(handler: (req: Request, res: Response) => Promise<void> | void) {
  return (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve(handler(req, res)).catch(next);
  };
}
