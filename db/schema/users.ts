import { index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { idColumn, ownedBy, timeNow } from "./columns";
import { roleEnum } from "./enums";

export const users = pgTable(
  "users",
  {
    id: idColumn(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** argon2id hash; null for accounts that only sign in through OAuth/OIDC. */
    passwordHash: text("password_hash"),
    role: roleEnum("role").notNull().default("student"),
    createdAt: timeNow("created_at"),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email)],
);

/** OAuth/OIDC identities linked to a user (next-auth JWT sessions; no session table needed). */
export const accounts = pgTable(
  "accounts",
  {
    userId: ownedBy("user_id", () => users.id),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    createdAt: timeNow("created_at"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

/**
 * Failed sign-ins per throttle key — an (account, client) pair or a client across accounts — kept in
 * the database so every web process sees the same counts (db/queries/users/rate-limit-login.ts).
 */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    key: text("key").primaryKey(),
    /** Failures in the current run; a success (pair keys) or a quiet hour starts it again. */
    failures: integer("failures").notNull().default(0),
    /** The back-off is counted from here, and a run whose last failure is old enough is forgotten. */
    lastFailureAt: timeNow("last_failure_at"),
  },
  (t) => [index("login_attempts_last_failure_at_idx").on(t.lastFailureAt)],
);
