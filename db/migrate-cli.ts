/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded PGlite. */
import { closeDb, getDbHandle } from "@/db";

getDbHandle()
  .then(async (h) => {
    console.log(`[db] migrations applied (${h.driver})`);
    await closeDb();
  })
  .catch((err) => {
    console.error("[db] migration failed:", err);
    process.exit(1);
  });
