import { z } from "zod";
import { gradingProgressSchema, type GradingProgress } from "@/grader/contracts/grading-progress";
import { trainedKindSchema } from "@/grader/contracts/submission-status";
import { trainingThroughputSchema } from "@/grader/contracts/training-throughput";
import { GraderUserError } from "@/grader/errors";

/**
 * The IPC protocol between a grader worker and the child process that trains one submission.
 * The parent sends one `grade` request; the child answers with any number of `progress` messages
 * and then exactly one `report` or `error`, and exits. Both sides validate what they receive.
 */
/** What the worker sends: the assignment as stored plus its folder, the submission, the seed, the assignment's measured speed. */
export const childGradeInputSchema = z.object({
  assignment: z.object({ config: z.unknown(), dir: z.string() }),
  submission: z.discriminatedUnion("kind", [
    z.object({ kind: trainedKindSchema, spec: z.unknown() }),
    z.object({ kind: z.literal("model"), modelDir: z.string().min(1) }),
  ]),
  seed: z.number().int(),
  throughput: trainingThroughputSchema.optional(),
});
export type ChildGradeInput = z.infer<typeof childGradeInputSchema>;

export const gradeRequestSchema = z
  .object({ type: z.literal("grade"), jobId: z.number().int(), input: z.unknown() })
  .strict();

const serializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  /** True for GraderUserError: final, shown to the student, not retried. */
  userError: z.boolean(),
  code: z.string().optional(),
});

/** Every answer names the request it belongs to, so a late message of an old job is never misread. */
export const childMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("progress"), jobId: z.number().int(), progress: gradingProgressSchema }),
  z.object({ type: z.literal("report"), jobId: z.number().int(), report: z.unknown() }),
  z.object({ type: z.literal("error"), jobId: z.number().int(), error: serializedErrorSchema }),
]);
export type ChildMessage = z.infer<typeof childMessageSchema>;

/** A user error that crossed the process boundary: same class for `isUserError`, same code and message. */
export class RemoteGraderUserError extends GraderUserError {
  constructor(code: string, message: string, remoteName: string) {
    super(code, message);
    this.name = remoteName;
  }
}

/** Turns a thrown value into its wire form, keeping whether it is the user's fault. */
export function serializeError(e: unknown): z.infer<typeof serializedErrorSchema> {
  if (e instanceof GraderUserError) return { name: e.name, message: e.message, userError: true, code: e.code };
  if (e instanceof Error) return { name: e.name, message: e.message, userError: false };
  return { name: "Error", message: String(e), userError: false };
}

type GradeFn = (
  input: unknown,
  opts: { onProgress: (p: GradingProgress) => void; signal: AbortSignal },
) => Promise<unknown>;

/** How often a child forwards batch-level progress at most: a fast model emits hundreds per second. */
const CHILD_PROGRESS_INTERVAL_MS = 200;

/**
 * The child side: serves grade requests one at a time for as long as the parent keeps it (a warm
 * child skips the seconds of start-up — TypeScript, TensorFlow.js, WebAssembly — on every job but
 * the first). The parent cancels a job by killing the whole child, so there is no cooperative
 * cancellation here; the signal only fires if the parent goes away.
 */
export function serveGradingRequests(grade: GradeFn): void {
  const send = (msg: ChildMessage) =>
    new Promise<void>((resolve) => {
      if (!process.send) throw new Error("grade child must be started with an IPC channel (child_process.fork)");
      process.send(msg, undefined, {}, () => resolve());
    });
  const abort = new AbortController();
  process.on("disconnect", () => {
    abort.abort();
    // Orphaned: nobody will read the result.
    process.exit(1);
  });
  let queue: Promise<void> = Promise.resolve();
  process.on("message", (raw: unknown) => {
    queue = queue.then(async () => {
      const request = gradeRequestSchema.safeParse(raw);
      if (!request.success) {
        console.error("[grade-child] ignoring a malformed request:", request.error.message);
        return;
      }
      const { jobId } = request.data;
      let lastSent = 0;
      try {
        const report = await grade(request.data.input, {
          signal: abort.signal,
          onProgress: (p) => {
            const now = Date.now();
            // An epoch's closing event carries its validation figures: never dropped.
            const boundary = p.epochEnd === true || p.phase !== "training";
            if (!boundary && now - lastSent < CHILD_PROGRESS_INTERVAL_MS) return;
            // Progress is advisory: an event the worker would refuse (a NaN validation loss of a model
            // going bad, say) is left out here, rather than failing the job as a broken child.
            const checked = gradingProgressSchema.safeParse(p);
            if (!checked.success) {
              console.error("[grade-child] progress event left out:", checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
              return;
            }
            lastSent = now;
            void send({ type: "progress", jobId, progress: checked.data });
          },
        });
        await send({ type: "report", jobId, report });
      } catch (e) {
        // The stack stays in this host's log; the parent (and the student) get the message.
        if (!(e instanceof GraderUserError)) console.error("[grade-child] grading failed:", e);
        await send({ type: "error", jobId, error: serializeError(e) });
      }
    });
  });
}
