import type { Db } from "@/db";

/**
 * Registers Lesson 6 (lesson row, quiz row and question bank) from the files in
 * `assignments/lesson-6/` into the database for a course. Idempotent, keyed by content hash.
 *
 * Work in progress: the content loaders land in the next commits; until then this registers nothing.
 */
export async function syncLessonContent(_db: Db, _courseId: string): Promise<void> {
  // Intentionally empty for this first commit, so the seed script can import the final signature now.
}
