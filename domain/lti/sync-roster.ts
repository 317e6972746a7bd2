import { z } from "zod";
import type { Db } from "@/db";
import type { getContext } from "@/db/queries/lti/contexts";
import { markRosterSynced, upsertMember } from "@/db/queries/lti/members";
import { provisionLtiUser } from "@/db/queries/lti/provision-launch-user";
import { LtiServiceError, SCOPE, SERVICE_TIMEOUT_MS, serviceToken } from "./service-token";
import { tensorgradeRole } from "./roles";

/** Pages of members followed at most (the platform pages by `Link: <…>; rel="next"`). */
const MAX_PAGES = 100;

const membershipSchema = z.object({
  members: z
    .array(
      z.object({
        user_id: z.string().min(1).max(255),
        status: z.string().optional(),
        name: z.string().max(300).optional(),
        given_name: z.string().max(300).optional(),
        family_name: z.string().max(300).optional(),
        email: z.string().max(320).optional(),
        roles: z.array(z.string().max(500)).max(100),
      }),
    )
    .max(10_000),
});

function nextPage(link: string | null): string | null {
  const m = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
  return m ? m[1] : null;
}

type ContextWithPlatform = NonNullable<Awaited<ReturnType<typeof getContext>>>;

/**
 * Reads the LMS course's roster through the Names and Role Provisioning Service and adds every
 * active member to the Tensorgrade course (an account linked by issuer and `sub`, created if they
 * never launched), so the gradebook lists students before their first launch.
 * @see https://www.imsglobal.org/spec/lti-nrps/v2p0
 */
export async function syncRoster(db: Db, { context, platform }: ContextWithPlatform): Promise<{ members: number; added: number }> {
  if (!context.membershipsUrl) throw new LtiServiceError("This LMS course has not offered its roster service yet; launch the tool from it once as an instructor.");
  const token = await serviceToken(db, platform, [SCOPE.roster]);
  let url: string | null = context.membershipsUrl;
  let members = 0;
  let added = 0;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res: Response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: "application/vnd.ims.lti-nrps.v2.membershipcontainer+json" },
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
    if (!res.ok) throw new LtiServiceError(`The LMS refused the roster (HTTP ${res.status}).`, res.status);
    const parsed = membershipSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new LtiServiceError("The LMS's roster is not a membership container Tensorgrade understands.");
    for (const m of parsed.data.members) {
      const status = m.status ?? "Active";
      if (status === "Active") {
        const name = m.name?.trim() || [m.given_name, m.family_name].filter(Boolean).join(" ").trim() || "LMS user";
        const { userId, created } = await provisionLtiUser(db, {
          issuer: platform.issuer,
          sub: m.user_id,
          name,
          email: m.email,
          role: tensorgradeRole(m.roles),
          courseId: context.courseId,
        });
        await upsertMember(db, { contextRowId: context.id, sub: m.user_id, userId, roles: m.roles, status });
        members++;
        if (created) added++;
      }
    }
    url = nextPage(res.headers.get("link"));
  }
  await markRosterSynced(db, context.id, new Date());
  return { members, added };
}
