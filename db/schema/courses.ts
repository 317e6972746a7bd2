import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { idColumn, ownedBy, timeNow } from "./columns";
import { roleEnum } from "./enums";
import { users } from "./users";

export const courses = pgTable(
  "courses",
  {
    id: idColumn(),
    /** URL slug, e.g. "cv-fundamentals". */
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    joinCode: text("join_code").notNull(),
    createdAt: timeNow("created_at"),
  },
  (t) => [uniqueIndex("courses_slug_idx").on(t.slug), uniqueIndex("courses_join_code_idx").on(t.joinCode)],
);

export const enrollments = pgTable(
  "enrollments",
  {
    courseId: ownedBy("course_id", () => courses.id),
    userId: ownedBy("user_id", () => users.id),
    role: roleEnum("role").notNull().default("student"),
    joinedAt: timeNow("joined_at"),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.userId] })],
);

/** Lessons registered from `assignments/<slug>/`; the text itself stays in the content files. */
export const lessons = pgTable(
  "lessons",
  {
    id: idColumn(),
    courseId: ownedBy("course_id", () => courses.id),
    slug: text("slug").notNull(),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    contentHash: text("content_hash").notNull(),
    updatedAt: timeNow("updated_at"),
  },
  (t) => [uniqueIndex("lessons_course_number_idx").on(t.courseId, t.number)],
);

/** Assignment registered from `assignments/<slug>/assignment.yaml` (config holds the parsed file). */
export const assignments = pgTable(
  "assignments",
  {
    id: idColumn(),
    courseId: ownedBy("course_id", () => courses.id),
    slug: text("slug").notNull(),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    config: jsonb("config").notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** Instructor's choice: show display names or anonymised handles on the leaderboard. */
    leaderboardAnonymous: boolean("leaderboard_anonymous").notNull().default(true),
    contentHash: text("content_hash").notNull(),
    updatedAt: timeNow("updated_at"),
  },
  (t) => [uniqueIndex("assignments_course_number_idx").on(t.courseId, t.number)],
);
