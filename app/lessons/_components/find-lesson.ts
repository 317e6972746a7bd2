import fs from "node:fs/promises";
import path from "node:path";
import { cache } from "react";
import { z } from "zod";
import { lessonDir, loadLesson, type LoadedLesson } from "@/assignments/content/load-lesson";

const lessonNumberSchema = z.coerce.number().int().min(1).max(999);

/**
 * The lesson for a `/lessons/[number]` URL segment, or null when there is no such lesson.
 * A lesson that exists but fails validation throws (ContentFileError): that is an authoring bug to
 * fix, not a missing page. Cached per request.
 */
export const findLesson = cache(async (segment: string): Promise<LoadedLesson | null> => {
  const parsed = lessonNumberSchema.safeParse(segment);
  if (!parsed.success) return null;
  const dir = lessonDir(parsed.data);
  const exists = await fs.stat(path.join(dir, "lesson.yaml")).then(
    () => true,
    () => false,
  );
  return exists ? loadLesson(dir) : null;
});
