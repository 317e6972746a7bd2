import { getDb } from "@/db";
import { env } from "@/env";
import { createChildGrader } from "./child-process-grader";
import { startEmbeddedRunner, type EmbeddedRunner } from "./embedded-runner";
import { defaultGraderConcurrency } from "./default-concurrency";

const globalForRunner = globalThis as unknown as { tgEmbeddedRunner?: EmbeddedRunner };

/** Next.js sets NEXT_PHASE to this while `next build` runs. */
const BUILD_PHASE = "phase-production-build";

/**
 * Starts the in-process grader inside the web server when no Redis is configured (the embedded
 * default), once per process. With REDIS_URL set, grading belongs to `npm run grader` workers and
 * this does nothing; during `next build` it does nothing either.
 */
export async function startEmbeddedGraderIfNeeded(): Promise<void> {
  if (env.NEXT_PHASE === BUILD_PHASE) return;
  if (env.REDIS_URL) {
    console.log("[grader] REDIS_URL is set: submissions are graded by `npm run grader` workers");
    return;
  }
  if (globalForRunner.tgEmbeddedRunner) return;
  // Children start on the first job, not with the server: a site nobody submits to stays light.
  const grader = createChildGrader();
  const runner = startEmbeddedRunner({
    db: await getDb(),
    concurrency: defaultGraderConcurrency(),
    livenessMs: env.GRADER_LIVENESS_MS,
    grade: grader.grade,
  });
  globalForRunner.tgEmbeddedRunner = runner;
  const stop = () => {
    void runner.stop(env.GRADER_SHUTDOWN_GRACE_MS).then(() => grader.close());
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
