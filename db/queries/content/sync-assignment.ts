import type { Db } from "@/db";

/**
 * Registers the assignments of `assignments/` (their parsed `assignment.yaml`) for a course.
 * Filled in once the grader's assignment loader lands (grader/assignment/load-assignment.ts).
 */
export async function syncAssignmentContent(_db: Db, _courseId: string): Promise<void> {}
