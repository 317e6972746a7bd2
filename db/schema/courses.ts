import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { roleEnum } from "./enums";
import { users } from "./users";

export const courses = pgTable(
  "courses",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    /** URL slug, e.g. "cv-fundamentals". */
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    joinCode: text("join_code").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("courses_slug_idx").on(t.slug), uniqueIndex("courses_join_code_idx").on(t.joinCode)],
);

export const enrollments = pgTable(
  "enrollments",
  {
    courseId: text("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull().default("student"),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.userId] })],
);

/** Lessons registered from `assignments/<slug>/`; the text itself stays in the content files. */
export const lessons = pgTable(
  "lessons",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    courseId: text("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    contentHash: text("content_hash").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("lessons_course_number_idx").on(t.courseId, t.number)],
);

/** Assignment registered from `assignments/<slug>/assignment.yaml` (config holds the parsed file). */
export const assignments = pgTable(
  "assignments",
  {
    id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
    courseId: text("course_id")
      .notNull()
      .references(() => courses.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    config: jsonb("config").notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** Instructor's choice: show display names or anonymised handles on the leaderboard. */
    leaderboardAnonymous: boolean("leaderboard_anonymous").notNull().default(true),
    contentHash: text("content_hash").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("assignments_course_number_idx").on(t.courseId, t.number)],
);
