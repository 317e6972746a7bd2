import { LtiRefusal } from "@/domain/lti/errors";
import { ltiErrorPage } from "./lti-page";

/**
 * The page for an error of an LTI endpoint: a refusal's own message and status; anything else is
 * logged with its context and shown as a 500 that says nothing about the token.
 */
export function ltiFailure(err: unknown, where: string, extraHtml = ""): Promise<Response> {
  if (err instanceof LtiRefusal) {
    console.warn(`[lti] ${where} refused (${err.code}): ${err.detail ?? err.message}`);
    return ltiErrorPage(err.status, err.message, err.code, extraHtml);
  }
  console.error(`[lti] ${where} failed:`, err);
  return ltiErrorPage(500, "Something went wrong on Tensorgrade's side. Please try the launch again.", "internal");
}

/** The fields of a form post or the query of a GET, as strings, bounded in size. */
export async function requestParams(req: Request): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (req.method === "GET" || req.method === "HEAD") {
    for (const [k, v] of new URL(req.url).searchParams) out[k] = v;
    return out;
  }
  const type = req.headers.get("content-type") ?? "";
  const length = Number(req.headers.get("content-length") ?? "0");
  if (!type.startsWith("application/x-www-form-urlencoded") || length > 128 * 1024) {
    throw new LtiRefusal("missingParameters", `content-type ${type}, length ${length}`);
  }
  const text = await req.text();
  if (text.length > 128 * 1024) throw new LtiRefusal("missingParameters", "form too large");
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}
