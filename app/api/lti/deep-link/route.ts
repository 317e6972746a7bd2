import { z } from "zod";
import { getDb } from "@/db";
import { getContext } from "@/db/queries/lti/contexts";
import type { DeepLinkTicketData } from "@/domain/lti/complete-launch";
import { deepLinkingResponse, deepLinkOptions } from "@/domain/lti/deep-linking";
import { LtiRefusal } from "@/domain/lti/errors";
import { formatTarget } from "@/domain/lti/targets";
import { redeemTicket } from "@/domain/lti/tickets";
import { esc, ltiErrorPage, ltiPage } from "@/app/_lib/lti/lti-page";
import { ltiFailure } from "@/app/_lib/lti/refusal-response";
import { toolBaseUrl, toolUrls } from "@/app/_lib/lti/tool-urls";

const choiceForm = z.object({ t: z.string().min(1).max(200), choice: z.array(z.string().max(40)).min(1).max(50) });

/**
 * The instructor's choice from the picker: spends the deep-linking ticket and sends the browser
 * back to the LMS with the signed LtiDeepLinkingResponse (an auto-submitted form; the button is
 * there for a browser that does not run the script).
 */
export async function POST(req: Request): Promise<Response> {
  try {
    const form = await req.formData().catch(() => null);
    const parsed = choiceForm.safeParse({ t: form?.get("t"), choice: form?.getAll("choice") });
    if (!parsed.success) return ltiErrorPage(422, "Choose at least one item to add, then press Add to the course.", "noChoice");
    const db = await getDb();
    const ticket = await redeemTicket(db, parsed.data.t, "deep-link");
    const data = ticket.data as DeepLinkTicketData;
    const ctx = await getContext(db, data.contextRowId);
    if (!ctx) throw new LtiRefusal("badTicket", "context gone");
    const offered = await deepLinkOptions(db, ctx.context.courseId);
    const chosen = offered.filter((o) => parsed.data.choice.includes(formatTarget(o.target)));
    if (chosen.length !== parsed.data.choice.length) return ltiErrorPage(422, "That content is not part of this course. Open the picker again from the LMS.", "unknownChoice");
    if (!data.acceptMultiple && chosen.length > 1) return ltiErrorPage(422, "This LMS accepts one item at a time.", "tooMany");
    const { jwt, returnUrl } = await deepLinkingResponse(db, data, chosen, toolUrls(toolBaseUrl(req)).launch);
    return ltiPage({
      title: "Returning to the LMS",
      formTargets: [new URL(returnUrl).origin],
      frameAncestors: [new URL(returnUrl).origin],
      body: `<h1>Adding ${esc(chosen.map((c) => c.title).join(", "))}</h1><form id="return" method="post" action="${esc(returnUrl)}"><input type="hidden" name="JWT" value="${esc(jwt)}"><button type="submit">Return to the LMS</button></form>`,
      script: `document.getElementById("return").submit();`,
    });
  } catch (err) {
    return ltiFailure(err, "deep-linking response");
  }
}
