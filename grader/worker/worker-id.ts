import os from "node:os";

/** A name for this grader process in `submissions.worker_id` and logs: host, pid and a random tag. */
export function newWorkerId(role: "bullmq" | "embedded"): string {
  return `${role}@${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 6)}`;
}
