import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { ltiContexts, ltiPlatforms, ltiResourceLinks } from "@/db/schema";

export type LtiContext = typeof ltiContexts.$inferSelect;
export type LtiResourceLink = typeof ltiResourceLinks.$inferSelect;

/** Records the LMS course a launch came from and the service endpoints it announced. */
export async function upsertContext(
  db: Db,
  input: {
    platformId: string;
    deploymentId: string;
    contextId: string;
    title: string;
    courseId: string;
    membershipsUrl?: string;
    lineItemsUrl?: string;
    agsScopes?: string[];
  },
): Promise<LtiContext> {
  const now = new Date();
  const [row] = await db
    .insert(ltiContexts)
    .values({ ...input, updatedAt: now })
    .onConflictDoUpdate({
      target: [ltiContexts.platformId, ltiContexts.contextId],
      set: {
        deploymentId: input.deploymentId,
        title: input.title,
        // A launch without the service claims (a student's, on some LMSs) keeps what an earlier one said.
        ...(input.membershipsUrl ? { membershipsUrl: input.membershipsUrl } : {}),
        ...(input.lineItemsUrl ? { lineItemsUrl: input.lineItemsUrl, agsScopes: input.agsScopes ?? [] } : {}),
        updatedAt: now,
      },
    })
    .returning();
  return row;
}

/** Records what a resource link opens and its line item. */
export async function upsertResourceLink(
  db: Db,
  input: { contextRowId: string; resourceLinkId: string; targetKind: string; targetNumber: number; lineItemUrl?: string },
): Promise<LtiResourceLink> {
  const now = new Date();
  const [row] = await db
    .insert(ltiResourceLinks)
    .values({ ...input, updatedAt: now })
    .onConflictDoUpdate({
      target: [ltiResourceLinks.contextRowId, ltiResourceLinks.resourceLinkId],
      set: {
        targetKind: input.targetKind,
        targetNumber: input.targetNumber,
        ...(input.lineItemUrl ? { lineItemUrl: input.lineItemUrl } : {}),
        updatedAt: now,
      },
    })
    .returning();
  return row;
}

/** The LMS courses linked to a Tensorgrade course, with their platform (instructor pages, roster sync). */
export async function contextsOfCourse(db: Db, courseId: string) {
  return db
    .select({ context: ltiContexts, platform: ltiPlatforms })
    .from(ltiContexts)
    .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiContexts.platformId))
    .where(eq(ltiContexts.courseId, courseId))
    .orderBy(asc(ltiContexts.title));
}

export async function getContext(db: Db, contextRowId: string) {
  const [row] = await db
    .select({ context: ltiContexts, platform: ltiPlatforms })
    .from(ltiContexts)
    .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiContexts.platformId))
    .where(eq(ltiContexts.id, contextRowId));
  return row ?? null;
}
