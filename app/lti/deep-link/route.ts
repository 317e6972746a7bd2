import { getDb } from "@/db";
import { getContext } from "@/db/queries/lti/contexts";
import type { DeepLinkTicketData } from "@/domain/lti/complete-launch";
import { deepLinkOptions } from "@/domain/lti/deep-linking";
import { LtiRefusal } from "@/domain/lti/errors";
import { formatTarget } from "@/domain/lti/targets";
import { peekTicket } from "@/domain/lti/tickets";
import { esc, ltiPage } from "@/app/_lib/lti/lti-page";
import { ltiFailure } from "@/app/_lib/lti/refusal-response";

/**
 * The content picker an instructor sees in the LMS's "add external tool" dialog, after a validated
 * deep-linking launch. The single-use ticket in the URL (not a session cookie, which the frame may
 * not have) authorises the choice; it is spent when the choice is posted.
 */
export async function GET(req: Request): Promise<Response> {
  try {
    const token = new URL(req.url).searchParams.get("t") ?? "";
    if (!token) throw new LtiRefusal("badTicket", "no ticket");
    const db = await getDb();
    const ticket = await peekTicket(db, token, "deep-link");
    const data = ticket.data as DeepLinkTicketData;
    const ctx = await getContext(db, data.contextRowId);
    if (!ctx) throw new LtiRefusal("badTicket", "context gone");
    const options = await deepLinkOptions(db, ctx.context.courseId);
    const inputType = data.acceptMultiple ? "checkbox" : "radio";
    const items = options
      .map(
        (o, i) =>
          `<label><input type="${inputType}" name="choice" value="${esc(formatTarget(o.target))}"${i === 0 && inputType === "radio" ? " required" : ""}> ${esc(o.title)}${o.target.kind === "lesson" ? "" : " <small>(graded: a column in the LMS gradebook)</small>"}</label>`,
      )
      .join("");
    return ltiPage({
      title: "Add Tensorgrade content",
      // The LMS page framing the picker may live on another domain than its issuer (Canvas: the school's); the return URL names it.
      frameAncestors: [new URL(data.returnUrl).origin],
      body: `<h1>Add Tensorgrade content to ${esc(ctx.context.title)}</h1><form method="post" action="/api/lti/deep-link"><input type="hidden" name="t" value="${esc(token)}"><fieldset><legend>Choose what to add</legend>${items}</fieldset><button type="submit">Add to the course</button></form>`,
    });
  } catch (err) {
    return ltiFailure(err, "deep-linking picker");
  }
}
