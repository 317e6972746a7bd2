/**
 * `npm run db:seed`: applies migrations, loads course content and (in development) the demo
 * accounts, then prints how to sign in. `npm start` runs this before serving.
 */
import { closeDb, getDbHandle } from "@/db";
import { seedDatabase, shouldSeedDemo } from "@/db/seed/seed";

async function main() {
  const handle = await getDbHandle();
  const result = await seedDatabase(handle.db, { demo: shouldSeedDemo() });
  console.log(`[seed] database: ${handle.driver}; course join code: ${result.joinCode}`);
  for (const a of result.demo) console.log(`[seed] demo ${a.role}: ${a.email} / ${a.password}`);
  await closeDb();
}

main().catch((err) => {
  console.error("[seed] failed:", err);
  process.exit(1);
});
