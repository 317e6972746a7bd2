import { and, eq, inArray, isNotNull, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { countedSubmissions, lessons, ltiContexts, ltiPlatforms, ltiResourceLinks, quizzes, submissions } from "@/db/schema";

/** Every resource link with a line item that opens a quiz or an assignment, with its context and platform. */
export async function gradedResourceLinks(db: Db) {
  return db
    .select({ link: ltiResourceLinks, context: ltiContexts, platform: ltiPlatforms })
    .from(ltiResourceLinks)
    .innerJoin(ltiContexts, eq(ltiContexts.id, ltiResourceLinks.contextRowId))
    .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiContexts.platformId))
    .where(and(isNotNull(ltiResourceLinks.lineItemUrl), inArray(ltiResourceLinks.targetKind, ["quiz", "assignment"])));
}

/**
 * The resource links with a line item that open this quiz or assignment (by number) in LMS courses
 * linked to `courseId` — and to no other course: the links a score change of that course may go to.
 */
export async function gradedLinksOfTarget(db: Db, courseId: string, kind: "quiz" | "assignment", number: number) {
  return db
    .select({ link: ltiResourceLinks, context: ltiContexts, platform: ltiPlatforms })
    .from(ltiResourceLinks)
    .innerJoin(ltiContexts, eq(ltiContexts.id, ltiResourceLinks.contextRowId))
    .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiContexts.platformId))
    .where(
      and(
        isNotNull(ltiResourceLinks.lineItemUrl),
        eq(ltiContexts.courseId, courseId),
        eq(ltiResourceLinks.targetKind, kind),
        eq(ltiResourceLinks.targetNumber, number),
      ),
    );
}

/** The course and lesson number of a quiz (the `quiz:<n>` target it is), or null. */
export async function quizTarget(db: Db, quizId: string): Promise<{ courseId: string; number: number } | null> {
  const [row] = await db
    .select({ courseId: lessons.courseId, number: lessons.number })
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .where(eq(quizzes.id, quizId));
  return row ?? null;
}

/**
 * Students of an assignment (or just `userId`) whose counted submission is not a graded one — a
 * practice or baseline run. Grade passback sends nothing for them: only graded results go to an LMS.
 */
export async function countedNotGraded(db: Db, assignmentId: string, userId?: string): Promise<Set<string>> {
  const rows = await db
    .select({ userId: countedSubmissions.userId })
    .from(countedSubmissions)
    .innerJoin(submissions, eq(submissions.id, countedSubmissions.submissionId))
    .where(
      and(
        eq(countedSubmissions.assignmentId, assignmentId),
        userId === undefined ? undefined : eq(countedSubmissions.userId, userId),
        ne(submissions.purpose, "graded"),
      ),
    );
  return new Set(rows.map((r) => r.userId));
}
