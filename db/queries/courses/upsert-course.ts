import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { courses } from "@/db/schema";

/** Letters without look-alikes (no 0/O, 1/I/L), so a code read aloud in class is typed right. */
const JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const JOIN_CODE_LENGTH = 8;

export function generateJoinCode(): string {
  const bytes = crypto.randomBytes(JOIN_CODE_LENGTH);
  return Array.from(bytes, (b) => JOIN_CODE_ALPHABET[b % JOIN_CODE_ALPHABET.length]).join("");
}

/** Creates the course if it does not exist; an existing course keeps its join code. */
export async function upsertCourse(db: Db, input: { slug: string; title: string }) {
  const [existing] = await db.select().from(courses).where(eq(courses.slug, input.slug));
  if (existing) {
    if (existing.title !== input.title) {
      await db.update(courses).set({ title: input.title }).where(eq(courses.id, existing.id));
    }
    return { ...existing, title: input.title };
  }
  const [row] = await db
    .insert(courses)
    .values({ slug: input.slug, title: input.title, joinCode: generateJoinCode() })
    .returning();
  return row;
}
