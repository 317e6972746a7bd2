import { z } from "zod";

/**
 * What a rejected submission keeps of what the student sent. The whole spec is kept while it is
 * small, so "submit again from this one" gives it back to edit; past this size only its beginning
 * is kept, marked as cut, so a stream of invalid megabyte specs cannot grow the table.
 */
export const REJECTED_SPEC_KEEP_BYTES = 8 * 1024;

/** The longest refusal message stored with a rejected submission (messages can quote the spec). */
export const REJECTED_MESSAGE_MAX_CHARS = 2_000;

/** The stored form of a rejected spec that was too long to keep whole. */
export const cutSpecSchema = z.object({
  /** The first REJECTED_SPEC_KEEP_BYTES (UTF-8) of the text the student sent, cut at a character. */
  source: z.string(),
  cut: z.object({ keptBytes: z.number().int().nonnegative(), originalBytes: z.number().int().positive() }),
});
export type CutSpec = z.infer<typeof cutSpecSchema>;

/** The longest UTF-8 prefix of `text` within `maxBytes`, ending on a whole character. */
function utf8Prefix(text: string, maxBytes: number): { prefix: string; totalBytes: number } {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return { prefix: text, totalBytes: bytes.length };
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { prefix: bytes.subarray(0, end).toString("utf8"), totalBytes: bytes.length };
}

function keepText(text: string): { source: string } | CutSpec {
  const { prefix, totalBytes } = utf8Prefix(text, REJECTED_SPEC_KEEP_BYTES);
  if (prefix.length === text.length) return { source: text };
  return { source: prefix, cut: { keptBytes: Buffer.byteLength(prefix, "utf8"), originalBytes: totalBytes } };
}

/**
 * The JSON-able value to store for a refused spec: the text the student sent (`{ source }`), or
 * the document as sent when it was already data (a Keras topology with its training block) —
 * either way at most REJECTED_SPEC_KEEP_BYTES of it, as a CutSpec when it was longer.
 */
export function rejectedSpecToStore(raw: unknown): unknown {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === "string") return keepText(raw);
  const json = JSON.stringify(raw);
  if (Buffer.byteLength(json, "utf8") <= REJECTED_SPEC_KEEP_BYTES) return raw;
  return keepText(JSON.stringify(raw, null, 2));
}

/** The refusal message as stored: whole, or its beginning and an ellipsis past REJECTED_MESSAGE_MAX_CHARS. */
export function rejectedMessageToStore(message: string): string {
  return message.length <= REJECTED_MESSAGE_MAX_CHARS ? message : `${message.slice(0, REJECTED_MESSAGE_MAX_CHARS - 1)}…`;
}
