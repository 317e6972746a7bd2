import type { Db } from "@/db";
import { studentDatasets, submissions } from "@/db/schema";
import type { GradingReport } from "@/grader/report/schema";
import { recordReport, reportWithScores, splitMetrics } from "./fixtures";

/** A student's dataset row (three classes, as the report fixtures have), as an upload would leave it. */
export async function seedStudentDataset(db: Db, input: { courseId: string; assignmentId: string; userId: string; name?: string }): Promise<string> {
  const [row] = await db
    .insert(studentDatasets)
    .values({
      courseId: input.courseId,
      assignmentId: input.assignmentId,
      userId: input.userId,
      name: input.name ?? "my shapes",
      blobKey: `datasets/${crypto.randomUUID()}/upload.zip`,
      inputSize: 32,
      channels: 3,
      classes: ["circle", "square", "triangle"],
      classCounts: [20, 20, 20],
      imageCount: 60,
      splitSeed: 1,
      split: {},
      quality: {},
    })
    .returning();
  return row!.id;
}

/**
 * A graded run (submission + report) with chosen figures on its test split (`metrics.all`, where a run on
 * a student's dataset keeps them): accuracy, macro-F1, log loss, parameters and training time.
 */
export function runReport(figures: { accuracy: number; macroF1: number; logLoss?: number; params?: number; trainMs?: number; kind?: "cnn" | "transfer" }): GradingReport {
  const base = reportWithScores(60, 60);
  const all = splitMetrics(figures.accuracy, 60);
  all.macro = { ...all.macro, f1: figures.macroF1 };
  all.logLoss = figures.logLoss ?? 1 - figures.accuracy;
  all.perClass = all.perClass.map((c, i) => ({ ...c, f1: Math.max(0, figures.macroF1 - 0.05 + 0.05 * i) }));
  return {
    ...base,
    submission: { ...base.submission, kind: figures.kind ?? "cnn", base: figures.kind === "transfer" ? "shapes-base" : null },
    model: { ...base.model, totalParams: figures.params ?? 1000, trainableParams: figures.params ?? 1000 },
    durations: { ...base.durations, trainMs: figures.trainMs ?? 5000 },
    metrics: { public: all, private: all, all },
    training: {
      ...base.training,
      epochsRun: 3,
      // Curves that end near the run's accuracy, so two runs' curves are told apart.
      curves: [1, 2, 3].map((epoch) => ({
        epoch, phase: "train" as const, learningRate: 0.01, seconds: 1,
        loss: 1.2 - (epoch / 3) * figures.accuracy, acc: (epoch / 3) * figures.accuracy + 0.05,
        valLoss: 1.3 - (epoch / 3) * figures.accuracy, valAcc: (epoch / 3) * figures.accuracy,
      })),
    },
  };
}

/** Inserts a succeeded run with this report, on a student dataset (or, with null, on the assignment's own data). */
export async function seedRun(
  db: Db,
  input: { assignmentId: string; userId: string; studentDatasetId: string | null; name: string; kind?: "cnn" | "transfer"; report?: GradingReport; status?: "succeeded" | "running" },
): Promise<string> {
  const kind = input.kind ?? "cnn";
  const [row] = await db
    .insert(submissions)
    .values({
      assignmentId: input.assignmentId,
      userId: input.userId,
      kind,
      purpose: input.studentDatasetId ? "practice" : "graded",
      studentDatasetId: input.studentDatasetId,
      spec: { kind, name: input.name },
      seed: 1,
      status: input.status ?? "succeeded",
      finishedAt: new Date(),
    })
    .returning();
  if ((input.status ?? "succeeded") === "succeeded") await recordReport(db, row!.id, 1, input.report ?? runReport({ accuracy: 0.7, macroF1: 0.68, kind }));
  return row!.id;
}
