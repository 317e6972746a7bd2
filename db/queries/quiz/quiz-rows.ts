import { z } from "zod";
import { choiceSchema, quizSettingsSchema, type QuizSettings } from "@/assignments/content/quiz-schema";

/*
 * jsonb columns come back as `unknown`; these schemas check them on the way out of the database,
 * so a row written by an older version of the code fails loudly instead of rendering nonsense.
 */

export const layoutSchema = z.array(
  z
    .object({
      questionId: z.string(),
      choiceOrder: z.array(z.string()),
      // Absent on attempts drawn before opaque choice ids (they keep showing bank ids).
      choiceTokens: z.array(z.string()).optional(),
    })
    .refine((item) => item.choiceTokens === undefined || item.choiceTokens.length === item.choiceOrder.length, {
      message: "choiceTokens must name each choice of choiceOrder",
    }),
);
export const choicesSchema = z.array(choiceSchema);
export const choiceIdsSchema = z.array(z.string());

export function parseSettings(json: unknown): QuizSettings {
  return quizSettingsSchema.parse(json);
}

/** The stored form of an attempt's draw (domain/quiz/draw-attempt.ts makes it: `AttemptLayout`). */
export type StoredLayout = z.infer<typeof layoutSchema>;

export function parseLayout(json: unknown): StoredLayout {
  return layoutSchema.parse(json);
}

export const questionKindSchema = z.enum(["single", "multiple"]);
