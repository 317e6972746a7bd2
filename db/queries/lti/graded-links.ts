import { and, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db";
import { ltiContexts, ltiPlatforms, ltiResourceLinks } from "@/db/schema";
import { eq } from "drizzle-orm";

/** Every resource link with a line item that opens a quiz or an assignment, with its context and platform. */
export async function gradedResourceLinks(db: Db) {
  return db
    .select({ link: ltiResourceLinks, context: ltiContexts, platform: ltiPlatforms })
    .from(ltiResourceLinks)
    .innerJoin(ltiContexts, eq(ltiContexts.id, ltiResourceLinks.contextRowId))
    .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiContexts.platformId))
    .where(and(isNotNull(ltiResourceLinks.lineItemUrl), inArray(ltiResourceLinks.targetKind, ["quiz", "assignment"])));
}
