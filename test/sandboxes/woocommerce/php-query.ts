/**
 * PHP's view of a query string ($_GET via parse_str) and the encoders WooCommerce uses when it
 * rebuilds the OAuth 1.0a signature base string.
 */

/** An ordered PHP array: keys keep insertion order; values are strings or nested arrays. */
export type PhpValue = string | PhpArray;
export type PhpArray = Map<string, PhpValue>;

function decodeComponent(text: string): string {
  // urldecode(): "+" is a space, %XX bytes are UTF-8.
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text.replace(/\+/g, " ");
  }
}

/** parse_str(): `a=1&b[]=2&b[]=3&c[x]=4`, with PHP's mangling of "." and " " in top-level names. */
export function parsePhpQuery(query: string): PhpArray {
  const out: PhpArray = new Map();
  if (!query) return out;
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    const bracket = rawKey.indexOf("[");
    const base = (bracket === -1 ? rawKey : rawKey.slice(0, bracket)).replace(/[ .]/g, "_");
    if (base === "") continue;
    const path: string[] = [];
    if (bracket !== -1) {
      const re = /\[([^\]]*)\]/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(rawKey.slice(bracket))) !== null) path.push(m[1] ?? "");
    }
    setPath(out, [base, ...path], value);
  }
  return out;
}

function setPath(target: PhpArray, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const key = head === "" ? String(nextIndex(target)) : head;
  if (rest.length === 0) {
    target.set(key, value);
    return;
  }
  let child = target.get(key);
  if (!(child instanceof Map)) {
    child = new Map();
    target.set(key, child);
  }
  setPath(child, rest, value);
}

function nextIndex(arr: PhpArray): number {
  let max = -1;
  for (const k of arr.keys()) if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}

/** A PHP array as plain JS: maps with 0..n keys become arrays. */
export function phpToPlain(value: PhpValue): unknown {
  if (typeof value === "string") return value;
  const keys = [...value.keys()];
  if (keys.every((k, i) => k === String(i))) return [...value.values()].map(phpToPlain);
  return Object.fromEntries([...value].map(([k, v]) => [k, phpToPlain(v)]));
}

/** PHP rawurlencode(): RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
export function rawurlencode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** PHP rawurldecode(). */
export function rawurldecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** PHP strcmp ordering on byte strings. */
export function strcmp(a: string, b: string): number {
  const ba = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  return Buffer.compare(ba, bb);
}
