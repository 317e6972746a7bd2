import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { ltiDeployments, ltiPlatforms } from "@/db/schema";
import { ConflictError } from "@/lib/errors";

export type LtiPlatform = typeof ltiPlatforms.$inferSelect;

export interface NewLtiPlatform {
  name: string;
  issuer: string;
  clientId: string;
  authLoginUrl: string;
  authTokenUrl: string;
  jwksUrl: string;
  courseId: string;
  deploymentIds: string[];
}

/**
 * Registers a platform, or updates the one with this issuer and client id, and adds its deployment
 * ids (existing ones are kept: removing a deployment is a separate, deliberate act).
 * @throws ConflictError when that issuer and client id belong to another course
 */
export async function registerPlatform(db: Db, input: NewLtiPlatform): Promise<LtiPlatform> {
  const { deploymentIds, ...fields } = input;
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ courseId: ltiPlatforms.courseId })
      .from(ltiPlatforms)
      .where(and(eq(ltiPlatforms.issuer, fields.issuer), eq(ltiPlatforms.clientId, fields.clientId)));
    // Re-registering would move every launch of that LMS into this course: only its own course may update it.
    if (existing && existing.courseId !== fields.courseId) {
      throw new ConflictError("This LMS client id is already registered for another Tensorgrade course. Ask the LMS for a new client id (developer key) for this course.");
    }
    const [row] = await tx
      .insert(ltiPlatforms)
      .values(fields)
      .onConflictDoUpdate({
        target: [ltiPlatforms.issuer, ltiPlatforms.clientId],
        set: {
          name: fields.name,
          authLoginUrl: fields.authLoginUrl,
          authTokenUrl: fields.authTokenUrl,
          jwksUrl: fields.jwksUrl,
          courseId: fields.courseId,
        },
      })
      .returning();
    if (deploymentIds.length) {
      await tx
        .insert(ltiDeployments)
        .values(deploymentIds.map((deploymentId) => ({ platformId: row.id, deploymentId })))
        .onConflictDoNothing();
    }
    return row;
  });
}

/**
 * The platforms with this issuer (and client id, when the login initiation names one). Several
 * client ids under one issuer are allowed; without a client id the login is ambiguous then.
 */
export async function findPlatforms(db: Db, issuer: string, clientId?: string): Promise<LtiPlatform[]> {
  return db
    .select()
    .from(ltiPlatforms)
    .where(clientId ? and(eq(ltiPlatforms.issuer, issuer), eq(ltiPlatforms.clientId, clientId)) : eq(ltiPlatforms.issuer, issuer));
}

export async function getPlatform(db: Db, id: string): Promise<LtiPlatform | null> {
  const [row] = await db.select().from(ltiPlatforms).where(eq(ltiPlatforms.id, id));
  return row ?? null;
}

export async function isDeploymentRegistered(db: Db, platformId: string, deploymentId: string): Promise<boolean> {
  const [row] = await db
    .select({ d: ltiDeployments.deploymentId })
    .from(ltiDeployments)
    .where(and(eq(ltiDeployments.platformId, platformId), eq(ltiDeployments.deploymentId, deploymentId)));
  return Boolean(row);
}

/** Every platform with its deployment ids, oldest first (the registration page). */
export async function listPlatforms(db: Db): Promise<(LtiPlatform & { deploymentIds: string[] })[]> {
  const platforms = await db.select().from(ltiPlatforms).orderBy(asc(ltiPlatforms.createdAt));
  const deployments = await db.select().from(ltiDeployments);
  return platforms.map((p) => ({
    ...p,
    deploymentIds: deployments.filter((d) => d.platformId === p.id).map((d) => d.deploymentId),
  }));
}

/** The origins of every registered platform's login endpoint: who may frame the launch pages. */
export async function platformOrigins(db: Db): Promise<string[]> {
  const rows = await db.select({ issuer: ltiPlatforms.issuer, login: ltiPlatforms.authLoginUrl }).from(ltiPlatforms);
  const origins = new Set<string>();
  for (const r of rows) {
    for (const u of [r.issuer, r.login]) {
      try {
        origins.add(new URL(u).origin);
      } catch {
        // An issuer need not be a URL; it then names no origin.
      }
    }
  }
  return [...origins];
}
