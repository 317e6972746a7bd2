import { getDb } from "@/db";
import { findSessionUser } from "@/db/queries/users/find-session-user";
import type { SessionTicketData } from "@/domain/lti/complete-launch";
import { peekTicket, redeemTicket } from "@/domain/lti/tickets";
import { LtiRefusal } from "@/domain/lti/errors";
import { openInWindowPage } from "@/app/_lib/lti/open-window-page";
import { ltiFailure } from "@/app/_lib/lti/refusal-response";
import { sessionCookieHeader, sessionMaxAge } from "@/app/_lib/lti/session-cookie";
import { cleanOrigins, clearProbeCookieHeader, continueStep, frameCookieHeader, hasProbeCookie, probeCookieHeader } from "@/app/_lib/lti/frame-cookie";
import { toolBaseUrl } from "@/app/_lib/lti/tool-urls";

const PROBE_PARAM = "probe";

function frameOrigins(data: unknown): string[] {
  const origins = (data as Partial<SessionTicketData> | null)?.frameOrigins;
  return Array.isArray(origins) ? cleanOrigins(origins) : [];
}

/** A same-site path only: a ticket's target is ours, but nothing here may send the browser elsewhere. */
const safeTarget = (t: string) => (t.startsWith("/") && !t.startsWith("//") ? t : "/");

/**
 * Where a validated launch lands (app/_lib/lti/frame-cookie.ts, continueStep, has the decision).
 * In a window of its own it redeems the single-use ticket, sets the ordinary session cookie
 * (SameSite=Lax) and goes on to the launched page. Inside the LMS's iframe it first checks that the
 * frame keeps cookies (a partitioned probe cookie, then a second request that must bring it back);
 * if so it signs in there with partitioned `SameSite=None; Secure` cookies and the launched page
 * opens in the frame. If not (third-party cookies blocked), the frame offers the browser's Storage
 * Access prompt where there is one, and a link that opens the same ticket in a new window.
 */
export async function GET(req: Request): Promise<Response> {
  try {
    const url = new URL(req.url);
    const token = url.searchParams.get("t") ?? "";
    if (!token) throw new LtiRefusal("badTicket", "no ticket");
    const db = await getDb();
    const base = toolBaseUrl(req);
    const self = `${base}/lti/continue?t=${encodeURIComponent(token)}`;
    const cookies = req.headers.get("cookie");
    const step = continueStep({
      framed: ["iframe", "frame"].includes(req.headers.get("sec-fetch-dest") ?? ""),
      probed: url.searchParams.has(PROBE_PARAM),
      probeCookie: hasProbeCookie(cookies),
    });

    if (step === "probe") {
      await peekTicket(db, token, "session");
      return new Response(null, { status: 303, headers: { location: `${self}&${PROBE_PARAM}=1`, "set-cookie": probeCookieHeader(), "cache-control": "no-store" } });
    }
    if (step === "open-window") {
      const ticket = await peekTicket(db, token, "session");
      const user = await findSessionUser(db, ticket.userId);
      return openInWindowPage({ launchingAs: user?.name ?? "LMS user", windowHref: self, retryHref: self, frameAncestors: frameOrigins(ticket.data) });
    }

    const ticket = await redeemTicket(db, token, "session");
    const user = await findSessionUser(db, ticket.userId);
    if (!user) throw new LtiRefusal("badTicket", "user deleted");
    const headers = new Headers({ location: `${base}${safeTarget(ticket.target)}`, "cache-control": "no-store" });
    if (step === "sign-in-frame") {
      headers.append("set-cookie", await sessionCookieHeader(user, { framed: true }));
      headers.append("set-cookie", frameCookieHeader(frameOrigins(ticket.data), sessionMaxAge()));
      headers.append("set-cookie", clearProbeCookieHeader());
    } else {
      headers.append("set-cookie", await sessionCookieHeader(user));
    }
    return new Response(null, { status: 303, headers });
  } catch (err) {
    return ltiFailure(err, "continue");
  }
}
