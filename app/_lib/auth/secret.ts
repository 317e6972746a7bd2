import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { env } from "@/env";

/**
 * The key that signs session cookies. Production must set NEXTAUTH_SECRET; elsewhere a random key
 * is generated once and kept under DATA_DIR so sessions survive restarts.
 */
export function authSecret(): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  if (env.NODE_ENV === "production") {
    throw new Error("NEXTAUTH_SECRET must be set in production (any random string of 32+ characters).");
  }
  const file = path.join(env.DATA_DIR, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(env.DATA_DIR, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}
