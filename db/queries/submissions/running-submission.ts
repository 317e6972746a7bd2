import { and, eq, type SQL } from "drizzle-orm";
import { submissions } from "@/db/schema";

/**
 * The guard of every transition out of `running`: the row is still running AND still ours. A worker
 * that was presumed dead (and whose submission another worker took over) can therefore never
 * overwrite the newer outcome.
 */
export function runningByWorker(submissionId: string, workerId: string): SQL {
  return and(
    eq(submissions.id, submissionId),
    eq(submissions.status, "running"),
    eq(submissions.workerId, workerId),
  ) as SQL;
}
