import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/*
 * The layer rule in eslint.config.mjs, run through ESLint's own API on small snippets placed (in
 * name only) in each layer. If the rule were switched off or its layers mistyped, the upward
 * imports below would stop being reported.
 */
const root = path.resolve(__dirname, "../..");
const eslint = new ESLint({ cwd: root });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "boundaries/element-types").map((m) => m.message);
}

describe("the layer direction lint rule", () => {
  it("reports a query that imports a page helper from app/", async () => {
    const errors = await layerErrors(
      "db/queries/example/upward.ts",
      'import { errorResponse } from "@/app/_lib/http/route";\nexport const x = errorResponse;\n',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("db may not import app");
  });

  it("reports a query that reaches up for a domain rule, also through a relative path", async () => {
    expect(
      await layerErrors("db/queries/quiz/upward.ts", 'import { scoreAnswer } from "@/domain/quiz/score-answer";\nexport const x = scoreAnswer;\n'),
    ).toEqual([expect.stringContaining("db may not import domain")]);
    expect(
      await layerErrors("db/queries/quiz/upward.ts", 'import { scoreAnswer } from "../../../domain/quiz/score-answer";\nexport const x = scoreAnswer;\n'),
    ).toEqual([expect.stringContaining("db may not import domain")]);
  });

  it("reports the grading engine importing the database, and lib/ importing anything of the project", async () => {
    expect(await layerErrors("grader/metrics/upward.ts", 'import { getDb } from "@/db";\nexport const x = getDb;\n')).toEqual([
      expect.stringContaining("grader may not import db"),
    ]);
    expect(await layerErrors("lib/upward.ts", 'import { env } from "@/env";\nexport const x = env;\n')).toEqual([
      expect.stringContaining("lib may not import env"),
    ]);
  });

  it("reports a dynamic import that points up", async () => {
    expect(
      await layerErrors("domain/quiz/upward.ts", 'export const load = () => import("@/app/_lib/http/route");\n'),
    ).toEqual([expect.stringContaining("domain may not import app")]);
  });

  it("reports a query built outside db/ (drizzle or a table imported into a page or a domain rule)", async () => {
    const [result] = await eslint.lintText('import { eq } from "drizzle-orm";\nimport { users } from "@/db/schema";\nexport const x = [eq, users];\n', {
      filePath: path.join(root, "app/example/page.tsx"),
    });
    expect(result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message)).toEqual([
      expect.stringContaining("db/queries/"),
      expect.stringContaining("db/queries/"),
    ]);
  });

  it("accepts imports that point down", async () => {
    const code = [
      'import { getDb } from "@/db";',
      'import { startAttempt } from "@/domain/quiz/start-attempt";',
      'import { NotFoundError } from "@/lib/errors";',
      "export const x = [getDb, startAttempt, NotFoundError];",
      "",
    ].join("\n");
    expect(await layerErrors("app/api/example/route.ts", code)).toEqual([]);
    expect(await layerErrors("domain/quiz/example.ts", code.replace(/.*start-attempt.*\n/, ""))).toEqual([]);
  });
});
