import { z } from "zod";
import { keyPositionIssues } from "./quiz-key-positions";

/** Ids used in URLs, payloads and CSV columns: lowercase words joined by hyphens. */
const slugId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lowercase letters, digits and single hyphens, e.g. conv-params");

export const choiceSchema = z.object({
  id: z.string().regex(/^[a-z0-9]{1,8}$/, "a short id of lowercase letters or digits, e.g. a"),
  /** Markdown (inline code and math-as-text are fine). */
  text: z.string().trim().min(1, "a choice needs text"),
  /**
   * Keeps this choice at its place in the file in every attempt while the others are shuffled
   * around it: for choices whose meaning depends on where they stand ("All of the above" last).
   */
  pinned: z.boolean().optional(),
});

export const questionSchema = z
  .object({
    id: slugId,
    topic: slugId,
    /** single: exactly one choice is right; multiple: one or more are, and the student may pick several. */
    kind: z.enum(["single", "multiple"]),
    prompt: z.string().trim().min(10, "write the question out in full"),
    choices: z.array(choiceSchema).min(2, "a question needs at least two choices").max(8, "at most eight choices"),
    correct: z.array(z.string()).min(1, "list the id of at least one correct choice"),
    explanation: z.string().trim().min(20, "explain why the right answer is right (20 characters or more)"),
    points: z.number().positive().max(10).default(1),
  })
  .superRefine((q, ctx) => {
    const ids = q.choices.map((c) => c.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) {
        ctx.addIssue({ code: "custom", path: ["choices", i, "id"], message: `duplicate choice id "${id}"` });
      }
    });
    q.correct.forEach((id, i) => {
      if (!ids.includes(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["correct", i],
          message: `"${id}" is not one of this question's choice ids (${ids.join(", ")})`,
        });
      }
      if (q.correct.indexOf(id) !== i) {
        ctx.addIssue({ code: "custom", path: ["correct", i], message: `"${id}" is listed twice` });
      }
    });
    if (q.kind === "single" && q.correct.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["correct"],
        message: `a single-answer question has exactly one correct choice, found ${q.correct.length}`,
      });
    }
    if (q.kind === "multiple" && q.correct.length === q.choices.length) {
      // Selecting everything would then be the answer, which tests nothing.
      ctx.addIssue({ code: "custom", path: ["correct"], message: "at least one choice must be wrong" });
    }
  });

/** When a student may see the right answers and explanations of a submitted attempt. */
export const answerReleaseSchema = z.enum(["after-attempt", "after-due"]);

export const quizSettingsSchema = z.object({
  /** How many questions each attempt draws from each topic (random, seeded per attempt). */
  questionsPerTopic: z.record(slugId, z.number().int().min(1)),
  /** Shuffle the order of the drawn questions (otherwise they come grouped by topic, sorted by id). */
  shuffleQuestions: z.boolean().default(true),
  /** Shuffle the choices of each question, per attempt. */
  shuffleChoices: z.boolean().default(true),
  attemptsAllowed: z.number().int().min(1).max(100),
  /** Minutes from the start of an attempt until it must be submitted; null means untimed. */
  timeLimitMinutes: z.number().int().min(1).max(24 * 60).nullable(),
  showAnswers: answerReleaseSchema,
  /** ISO 8601 date-time with an offset; required when answers are released after the due date. */
  dueAt: z.string().datetime({ offset: true }).nullable().default(null),
});

export const quizFileSchema = z
  .object({
    slug: slugId,
    title: z.string().trim().min(3),
    /** The lesson this quiz belongs to, by number. */
    lesson: z.number().int().positive(),
    topics: z
      .array(z.object({ id: slugId, title: z.string().trim().min(3) }))
      .min(1, "declare at least one topic"),
    settings: quizSettingsSchema,
    questions: z.array(questionSchema).min(1, "the bank needs questions"),
  })
  .superRefine((quiz, ctx) => {
    const topicIds = quiz.topics.map((t) => t.id);
    const seen = new Set<string>();
    quiz.questions.forEach((q, i) => {
      if (seen.has(q.id)) {
        ctx.addIssue({ code: "custom", path: ["questions", i, "id"], message: `duplicate question id "${q.id}"` });
      }
      seen.add(q.id);
      if (!topicIds.includes(q.topic)) {
        ctx.addIssue({
          code: "custom",
          path: ["questions", i, "topic"],
          message: `unknown topic "${q.topic}"; declared topics are ${topicIds.join(", ")}`,
        });
      }
    });
    for (const [topic, count] of Object.entries(quiz.settings.questionsPerTopic)) {
      const available = quiz.questions.filter((q) => q.topic === topic).length;
      if (!topicIds.includes(topic)) {
        ctx.addIssue({
          code: "custom",
          path: ["settings", "questionsPerTopic", topic],
          message: `unknown topic "${topic}"`,
        });
      } else if (available < count) {
        ctx.addIssue({
          code: "custom",
          path: ["settings", "questionsPerTopic", topic],
          message: `draws ${count} questions but the bank has only ${available} in this topic`,
        });
      }
    }
    // Where the keys sit in the file is what a student sees when choices are not shuffled, and
    // always for pinned choices: a bank whose keys are mostly first is answered by position.
    for (const issue of keyPositionIssues(quiz.questions)) ctx.addIssue({ code: "custom", ...issue });
    if (quiz.settings.showAnswers === "after-due" && quiz.settings.dueAt === null) {
      ctx.addIssue({
        code: "custom",
        path: ["settings", "dueAt"],
        message: 'answers are released "after-due", so set a due date',
      });
    }
  });

export type QuizFile = z.infer<typeof quizFileSchema>;
export type QuizSettings = z.infer<typeof quizSettingsSchema>;
export type BankQuestion = z.infer<typeof questionSchema>;
export type QuizChoice = z.infer<typeof choiceSchema>;
export type AnswerRelease = z.infer<typeof answerReleaseSchema>;
