/**
 * `npx tsx bench/rejected-specs.ts`: what refused specs cost the database. One student sends 40 invalid
 * 1 MiB specs (random text, so Postgres's compression cannot hide their size) through the real
 * `submitForGrading`; prints how many were stored and refused with a 429, and how much the
 * `submissions` table grew. Needs DATABASE_URL; works in a throwaway database, dropped at the end.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDb } from "@/db";
import { submissionsLeftToday } from "@/db/queries/submissions/submissions-left-today";
import { SubmissionLimitError } from "@/db/queries/submissions/submission-limit-error";
import { submitForGrading } from "@/grader/queue/submit-for-grading";
import { createScratchDatabase } from "../tests/helpers/scratch-postgres";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../tests/queue/fixtures/builders";

const SENT = 40;
const SPEC_BYTES = 1024 * 1024;

async function main() {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error("bench/rejected-specs.ts needs DATABASE_URL (a Postgres it may create a scratch database in)");
  const scratch = await createScratchDatabase(baseUrl, "tg_bench_rejected");
  const h = await openDb({ databaseUrl: scratch.url });
  try {
    const config = tinyAssignmentConfig();
    const { assignmentId } = await seedAssignment(h.db, config);
    const student = await seedUser(h.db);
    const tableBytes = async () => {
      const res = (await h.db.execute(sql`select pg_total_relation_size('submissions') as s`)) as unknown as { rows: { s: string }[] };
      return Number(res.rows[0]!.s);
    };
    const before = await tableBytes();
    let refusedAndStored = 0;
    let tooMany = 0;
    for (let i = 0; i < SENT; i++) {
      // An unknown kind, then a comment of random base64 up to 1 MiB.
      const spec = `{ kind: telepathy } # ${randomBytes((SPEC_BYTES * 3) / 4).toString("base64")}`.slice(0, SPEC_BYTES);
      try {
        await submitForGrading(h.db, { assignmentId, userId: student.id, content: { kind: "spec", spec } }, { queue: null });
        throw new Error("an invalid spec was accepted");
      } catch (e) {
        if (e instanceof SubmissionLimitError && e.code === "rejected_limit") tooMany++;
        else if (e instanceof Error && "code" in e) refusedAndStored++;
        else throw e;
      }
    }
    const after = await tableBytes();
    const left = await submissionsLeftToday(h.db, { assignmentId, userId: student.id, dailyLimit: config.limits.dailySubmissions });
    console.log(`${SENT} invalid ${SPEC_BYTES / 1024} KiB specs: ${refusedAndStored} refused and stored, ${tooMany} answered 429 (cap ${config.limits.dailyRejectedSubmissions}/day)`);
    console.log(`submissions table: ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB (+${((after - before) / 1024).toFixed(0)} KiB, ${((after - before) / 1024 / Math.max(1, refusedAndStored)).toFixed(1)} KiB per stored refusal)`);
    console.log(`grading quota left: ${left} of ${config.limits.dailySubmissions}`);
  } finally {
    await h.close();
    await scratch.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
