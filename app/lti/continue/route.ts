import { getDb } from "@/db";
import { findSessionUser } from "@/db/queries/users/find-session-user";
import { peekTicket, redeemTicket } from "@/domain/lti/tickets";
import { LtiRefusal } from "@/domain/lti/errors";
import { esc, ltiPage } from "@/app/_lib/lti/lti-page";
import { ltiFailure } from "@/app/_lib/lti/refusal-response";
import { sessionCookieHeader } from "@/app/_lib/lti/session-cookie";
import { toolBaseUrl } from "@/app/_lib/lti/tool-urls";

/**
 * Where a validated launch lands. In a top-level window it redeems the single-use ticket, sets the
 * ordinary session cookie (SameSite=Lax) and goes on to the launched page. Inside the LMS's iframe
 * the site's pages cannot run (they refuse to be framed, and a Lax cookie is not sent there), so
 * the frame shows who is signing in and opens the same link in a new window, where it is redeemed.
 */
export async function GET(req: Request): Promise<Response> {
  try {
    const token = new URL(req.url).searchParams.get("t") ?? "";
    if (!token) throw new LtiRefusal("badTicket", "no ticket");
    const db = await getDb();
    const framed = ["iframe", "frame"].includes(req.headers.get("sec-fetch-dest") ?? "");
    if (framed) {
      const ticket = await peekTicket(db, token, "session");
      const user = await findSessionUser(db, ticket.userId);
      const href = `${toolBaseUrl(req)}/lti/continue?t=${encodeURIComponent(token)}`;
      return ltiPage({
        title: "Open Tensorgrade",
        body: `<h1>Tensorgrade</h1><p>You are launching as <strong>${esc(user?.name ?? "LMS user")}</strong>.</p><p>Tensorgrade opens in its own window, so your work is not lost when you leave this LMS page.</p><p><a class="button" href="${esc(href)}" target="_blank" rel="noopener">Open Tensorgrade in a new window</a></p>`,
      });
    }
    const ticket = await redeemTicket(db, token, "session");
    const user = await findSessionUser(db, ticket.userId);
    if (!user) throw new LtiRefusal("badTicket", "user deleted");
    const target = ticket.target.startsWith("/") && !ticket.target.startsWith("//") ? ticket.target : "/";
    return new Response(null, {
      status: 303,
      headers: { location: `${toolBaseUrl(req)}${target}`, "set-cookie": await sessionCookieHeader(user), "cache-control": "no-store" },
    });
  } catch (err) {
    return ltiFailure(err, "continue");
  }
}
