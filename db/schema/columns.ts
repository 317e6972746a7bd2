import { text, timestamp, type AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Column shapes most tables share, written once. Each returns a fresh builder, so a table can still
 * chain more onto it. They change nothing in the generated SQL.
 */

/** The `id` primary key of an entity table: a UUID the application fills in on insert. */
export const idColumn = () => text("id").primaryKey().$defaultFn(() => crypto.randomUUID());

/** A required reference to the row this one belongs to: deleting that row deletes this one. */
export const ownedBy = <N extends string>(name: N, target: () => AnyPgColumn) =>
  text(name).notNull().references(target, { onDelete: "cascade" });

/** A time with time zone that is set to now when the row is inserted (`created_at`, `updated_at`, …). */
export const timeNow = <N extends string>(name: N) => timestamp(name, { withTimezone: true }).notNull().defaultNow();
