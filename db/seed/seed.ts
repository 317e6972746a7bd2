import type { Db } from "@/db";
import { env } from "@/env";
import { upsertCourse } from "@/db/queries/courses/upsert-course";
import { enroll } from "@/db/queries/courses/enroll";
import { upsertPasswordUser } from "@/domain/auth/create-user";
import { syncLessonContent } from "@/db/queries/content/sync-lesson";
import { syncAssignmentContent } from "@/db/queries/content/sync-assignment";
import { recountStaleAssignments } from "@/domain/grading/recount";
import { DEMO_COURSE, DEMO_INSTRUCTOR, DEMO_STUDENT } from "./demo-accounts";

/** Demo accounts exist only outside production, unless SEED_DEMO=0 turns them off there too. */
export function shouldSeedDemo(): boolean {
  if (env.NODE_ENV === "production") return false;
  return env.SEED_DEMO !== "0";
}

export interface SeedResult {
  courseId: string;
  joinCode: string;
  demo: { email: string; password: string; role: string }[];
}

/**
 * Loads the course content from `assignments/` into the database, and in development the demo
 * instructor and student. Safe to run on every start: every step is an upsert, and the recount
 * of stale counted submissions does nothing when none is stale.
 */
export async function seedDatabase(db: Db, opts: { demo: boolean }): Promise<SeedResult> {
  const course = await upsertCourse(db, DEMO_COURSE);
  await syncLessonContent(db, course.id);
  await syncAssignmentContent(db, course.id);
  // Graded work from before counted_submissions existed, or an assignment whose counting rule
  // (gradebook.assignmentScore) just changed in assignment.yaml, is counted again here.
  await recountStaleAssignments(db);
  const demo: SeedResult["demo"] = [];
  if (opts.demo) {
    for (const account of [DEMO_INSTRUCTOR, DEMO_STUDENT]) {
      const userId = await upsertPasswordUser(db, account);
      await enroll(db, course.id, userId, account.role);
      demo.push({ email: account.email, password: account.password, role: account.role });
    }
  }
  return { courseId: course.id, joinCode: course.joinCode, demo };
}
