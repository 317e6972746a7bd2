/**
 * Says out loud, once per test file, which tests are skipped because a service URL is not set,
 * so a run without Postgres or Redis is never mistaken for one that exercised them.
 */
export function announceSkipped(what: string, needs: ("DATABASE_URL" | "REDIS_URL")[]): void {
  const missing = needs.filter((name) => !process.env[name]);
  if (missing.length) console.warn(`[tests] skipped: ${what} — ${missing.join(" and ")} not set (.ci/run sets both)`);
}
