/**
 * Opaque cursors for keyset pagination: the sort key of the last row a page showed, as base64url
 * JSON, so the next page starts after it in SQL (`where (key) > (cursor)`) instead of skipping
 * rows with OFFSET. A cursor that does not decode to `length` strings is treated as no cursor
 * (the first page), never as an error a user could cause.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** The key inside a cursor, or null when it is missing or malformed. */
export function decodeCursor(raw: string | undefined | null, length: number): string[] | null {
  if (!raw || raw.length > 2048) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === length && key.every((k) => typeof k === "string")) return key;
  } catch {
    // Not base64url JSON: someone edited the URL. The first page is the honest answer.
  }
  return null;
}
