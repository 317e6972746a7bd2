import argon2 from "argon2";

/** argon2id with the library's defaults (64 MiB, 3 passes): OWASP's recommended baseline. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch (err) {
    // A malformed stored hash is a data problem, not a wrong password: say so in the log.
    console.error("[auth] could not verify a stored password hash:", (err as Error).message);
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification. Called for unknown emails so that response time
 * does not tell whether an account exists.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("tensorgrade-timing-equaliser");
  await argon2.verify(await dummyHash, password).catch(() => false);
}
