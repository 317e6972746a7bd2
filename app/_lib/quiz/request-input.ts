import { z } from "zod";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { issuesOf } from "@/app/_lib/http/user-error";

/** Largest submission body we read: 10 questions × 8 choice ids is a few hundred bytes. */
const MAX_BODY_BYTES = 16_384;

const idSchema = z.string().uuid();

/**
 * A database id from the URL. A malformed one cannot name anything, so it is a 404 like any other
 * id that does not exist (and says nothing about what does).
 */
export function parseRouteId(value: string, what: "quiz" | "attempt"): string {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) throw new NotFoundError(`No such ${what}.`);
  return parsed.data;
}

/**
 * Reads a request body as JSON and validates it. Bodies that are too large, not JSON or the wrong
 * shape are all 422s that say what was wrong, never 500s.
 */
export async function readJsonBody<T>(req: Request, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T> {
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) {
    throw new ValidationError(`The request body is ${text.length} bytes; at most ${MAX_BODY_BYTES} are accepted.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ValidationError('The request body must be JSON, e.g. {"answers": {"question-id": ["a"]}}.');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(
      "The request body does not have the expected shape.",
      issuesOf(parsed.error.issues),
    );
  }
  return parsed.data;
}
