import fs from "node:fs/promises";
import path from "node:path";
import { cache } from "react";
import { z } from "zod";
import { lessonDir, loadLesson, type LoadedLesson } from "@/assignments/content/load-lesson";
import { env } from "@/env";

const lessonNumberSchema = z.coerce.number().int().min(1).max(999);

/**
 * Loaded lessons of this process, in production: the files under assignments/ are deployed with the
 * code and synced at start, so reading and validating them again per request bought nothing but
 * time (issue 14 §10). A failed load is not kept, so the next request reports the error again.
 */
const loaded = new Map<number, Promise<LoadedLesson | null>>();

async function readLesson(lessonNumber: number): Promise<LoadedLesson | null> {
  const dir = lessonDir(lessonNumber);
  const exists = await fs.stat(path.join(dir, "lesson.yaml")).then(
    () => true,
    () => false,
  );
  return exists ? loadLesson(dir) : null;
}

/**
 * The lesson for a `/lessons/[number]` URL segment, or null when there is no such lesson.
 * A lesson that exists but fails validation throws (ContentFileError): that is an authoring bug to
 * fix, not a missing page. Cached per request, and per process in production (edits show at once
 * in development).
 */
export const findLesson = cache(async (segment: string): Promise<LoadedLesson | null> => {
  const parsed = lessonNumberSchema.safeParse(segment);
  if (!parsed.success) return null;
  if (env.NODE_ENV !== "production") return readLesson(parsed.data);
  let lesson = loaded.get(parsed.data);
  if (!lesson) {
    lesson = readLesson(parsed.data);
    loaded.set(parsed.data, lesson);
    lesson.catch(() => loaded.delete(parsed.data));
  }
  return lesson;
});
