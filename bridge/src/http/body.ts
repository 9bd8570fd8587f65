import type { NextFunction, Request, Response } from "express";
import { HttpError } from "./errors.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The exact bytes received (signatures are computed over them). */
      rawBody: Buffer;
      /** The parsed JSON body, or undefined for an empty body. */
      json: unknown;
      /** Set by the signature check: the shop whose secret signed the request. */
      signedBy?: string;
    }
  }
}

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the body as raw bytes (kept for signature checks), then parses JSON when there is any.
 * Malformed JSON → 400 with the parser's reason; too large → 413.
 */
export function readBody(req: Request, _res: Response, next: NextFunction): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on("data", (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      failed = true;
      next(new HttpError(413, "payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
      req.resume();
      return;
    }
    chunks.push(chunk);
  });
  req.on("error", (error) => {
    if (!failed) {
      failed = true;
      next(new HttpError(400, "bad_body", `The request body could not be read: ${error.message}`));
    }
  });
  req.on("end", () => {
    if (failed) return;
    req.rawBody = Buffer.concat(chunks);
    req.json = undefined;
    if (req.rawBody.length > 0) {
      const type = req.headers["content-type"] ?? "";
      if (type !== "" && !/json/i.test(type)) {
        next(new HttpError(415, "unsupported_media_type", "Send the body as application/json."));
        return;
      }
      try {
        req.json = JSON.parse(req.rawBody.toString("utf8")) as unknown;
      } catch (error) {
        next(new HttpError(400, "malformed_json", `The request body is not valid JSON: ${(error as Error).message}`));
        return;
      }
    }
    next();
  });
}
