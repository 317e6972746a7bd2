import { z } from "zod";

/** A path relative to the lesson folder; no escaping it, no absolute paths. */
const relativeFile = (extension: string) =>
  z
    .string()
    .regex(/^(?!\/)(?!.*\.\.)[\w./-]+$/, "a path relative to the lesson folder, without ..")
    .refine((p) => p.endsWith(extension), `must be a ${extension} file`);

const anchorId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lowercase words joined by hyphens; it becomes the #anchor");

export const markdownBlockSchema = z.object({
  type: z.literal("markdown"),
  file: relativeFile(".md"),
});

/** A Keras snippet shown beside the Tensorgrade submission spec that builds the same model. */
export const exampleBlockSchema = z.object({
  type: z.literal("example"),
  title: z.string().trim().min(3),
  keras: relativeFile(".py"),
  spec: relativeFile(".json"),
  /** Markdown shown under the pair: what maps to what, and what the spec cannot express. */
  notes: z.string().trim().min(1).optional(),
});

/** Layer diagram drawn from a submission spec, with each layer's output shape and parameter count. */
export const cnnFigureSchema = z.object({
  type: z.literal("figure"),
  figure: z.literal("cnn-layers"),
  spec: relativeFile(".json"),
  caption: z.string().trim().min(3),
});

/** A confusion matrix with per-class precision and recall computed from its counts. */
export const confusionFigureSchema = z
  .object({
    type: z.literal("figure"),
    figure: z.literal("confusion-matrix"),
    classes: z.array(z.string().trim().min(1)).min(2).max(6),
    /** matrix[actual][predicted] = count */
    matrix: z.array(z.array(z.number().int().min(0))),
    caption: z.string().trim().min(3),
  })
  .superRefine((f, ctx) => {
    if (f.matrix.length !== f.classes.length) {
      ctx.addIssue({
        code: "custom",
        path: ["matrix"],
        message: `needs one row per class (${f.classes.length}), found ${f.matrix.length}`,
      });
    }
    f.matrix.forEach((row, i) => {
      if (row.length !== f.classes.length) {
        ctx.addIssue({
          code: "custom",
          path: ["matrix", i],
          message: `needs one count per class (${f.classes.length}), found ${row.length}`,
        });
      }
    });
  });

/** An ROC curve traced from a small list of scored examples, with its AUC. */
export const rocFigureSchema = z
  .object({
    type: z.literal("figure"),
    figure: z.literal("roc-curve"),
    /** Model scores for the positive class, one per example. */
    scores: z.array(z.number().min(0).max(1)).min(4),
    /** 1 = positive, 0 = negative, aligned with `scores`. */
    labels: z.array(z.union([z.literal(0), z.literal(1)])),
    caption: z.string().trim().min(3),
  })
  .superRefine((f, ctx) => {
    if (f.labels.length !== f.scores.length) {
      ctx.addIssue({ code: "custom", path: ["labels"], message: `needs ${f.scores.length} labels, one per score` });
    }
    if (!f.labels.includes(0) || !f.labels.includes(1)) {
      ctx.addIssue({ code: "custom", path: ["labels"], message: "needs at least one positive and one negative" });
    }
  });

export const figureBlockSchema = z.union([cnnFigureSchema, confusionFigureSchema, rocFigureSchema]);

export const lessonBlockSchema = z.union([markdownBlockSchema, exampleBlockSchema, figureBlockSchema]);

export const lessonSectionSchema = z.object({
  id: anchorId,
  title: z.string().trim().min(3),
  blocks: z.array(lessonBlockSchema).min(1, "a section needs at least one block"),
});

export const lessonFileSchema = z
  .object({
    number: z.number().int().positive(),
    slug: anchorId,
    title: z.string().trim().min(3),
    summary: z.string().trim().min(20),
    objectives: z.array(z.string().trim().min(5)).min(1),
    sections: z.array(lessonSectionSchema).min(1),
  })
  .superRefine((lesson, ctx) => {
    const ids = lesson.sections.map((s) => s.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) {
        ctx.addIssue({ code: "custom", path: ["sections", i, "id"], message: `duplicate section id "${id}"` });
      }
    });
  });

export type LessonFile = z.infer<typeof lessonFileSchema>;
export type LessonBlockSource = z.infer<typeof lessonBlockSchema>;
export type CnnFigureSource = z.infer<typeof cnnFigureSchema>;
export type ConfusionFigureSource = z.infer<typeof confusionFigureSchema>;
export type RocFigureSource = z.infer<typeof rocFigureSchema>;
