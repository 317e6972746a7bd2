import js from "@eslint/js";
import tseslint from "typescript-eslint";
import drizzle from "eslint-plugin-drizzle";
import boundaries from "eslint-plugin-boundaries";
import globals from "globals";
import { fileURLToPath } from "node:url";

/**
 * The layers (docs/architecture.md): each may import only itself and what is below it.
 *   entry points: app/ (and middleware.ts, instrumentation.ts), grader/worker + grader/cli, scripts/ and
 *   db/seed/ and db/*-cli.ts (programs run by npm scripts), bench/
 *   → domain/ (quiz and auth rules, orchestration) and grader/queue/ (submit for grading, enqueue after commit)
 *   → db/ (schema and queries)
 *   → assignments/ (course content)
 *   → grader/ (the grading engine and its contracts: spec, report and assignment schemas; no database)
 *   → env.ts → lib/ (errors, CSV, seeded random: no project imports at all)
 * tests/ may import anything, bench/ also the test helpers (scratch databases, test servers); nothing
 * else imports tests/, scripts/ or bench/.
 */
const LAYERS = [
  // instrumentation.ts boots the process: it may start the embedded grader, so it sits with the worker.
  { type: "app", mode: "full", pattern: ["app/**", "middleware.ts"] },
  { type: "worker", mode: "full", pattern: ["grader/worker/**", "grader/cli/**", "instrumentation.ts"] },
  { type: "scripts", mode: "full", pattern: ["scripts/**", "db/seed/**", "db/*-cli.ts"] },
  { type: "bench", mode: "full", pattern: ["bench/**"] },
  { type: "tests", mode: "full", pattern: ["tests/**", "vitest.config.ts"] },
  { type: "domain", mode: "full", pattern: ["domain/**", "grader/queue/**"] },
  { type: "db", mode: "full", pattern: ["db/**", "drizzle.config.ts"] },
  { type: "assignments", mode: "full", pattern: ["assignments/**"] },
  { type: "grader", mode: "full", pattern: ["grader/**"] },
  { type: "env", mode: "full", pattern: ["env.ts"] },
  { type: "lib", mode: "full", pattern: ["lib/**"] },
];
const BELOW_DB = ["assignments", "grader", "env", "lib"];
const BELOW_DOMAIN = ["domain", "db", ...BELOW_DB];
const LAYER_RULES = [
  { from: "app", allow: ["app", ...BELOW_DOMAIN] },
  { from: "worker", allow: ["worker", ...BELOW_DOMAIN] },
  { from: "scripts", allow: ["scripts", "worker", ...BELOW_DOMAIN] },
  { from: "bench", allow: ["bench", "tests", "worker", ...BELOW_DOMAIN] },
  { from: "tests", allow: ["*"] },
  { from: "domain", allow: BELOW_DOMAIN },
  { from: "db", allow: ["db", ...BELOW_DB] },
  { from: "assignments", allow: ["assignments", "grader", "env", "lib"] },
  { from: "grader", allow: ["grader", "env", "lib"] },
  { from: "env", allow: ["lib"] },
  { from: "lib", allow: ["lib"] },
];

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "test-artifacts/", "db/migrations/", "next-env.d.ts", "eslint-resolver.cjs", ".scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { drizzle },
    rules: {
      // A delete or update without `where` wipes a whole table: never allowed (as in create-t3-app).
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through env.ts." },
      ],
    },
  },
  {
    // Layer direction (issue 11): an import that points up a layer is an error, not a review comment.
    plugins: { boundaries },
    settings: {
      "boundaries/root-path": fileURLToPath(new URL(".", import.meta.url)),
      "boundaries/elements": LAYERS,
      "boundaries/dependency-nodes": ["import", "export", "dynamic-import"],
      "import/resolver": { [fileURLToPath(new URL("./eslint-resolver.cjs", import.meta.url))]: {} },
    },
    rules: {
      "boundaries/element-types": [
        "error",
        {
          default: "disallow",
          message: "${file.type} may not import ${dependency.type} (${dependency.source}): layers point down, see docs/architecture.md",
          rules: LAYER_RULES,
        },
      ],
    },
  },
  {
    // Queries live in db/queries: code above db/ calls them rather than building SQL itself.
    files: ["app/**", "domain/**", "grader/**", "middleware.ts", "instrumentation.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "drizzle-orm", message: "Write the query in db/queries/ and call it from here." }],
          patterns: [
            {
              // The enums' value lists (e.g. for a status filter) are not a table; everything else is.
              regex: "^@/db/schema(/(?!enums$).*)?$",
              message: "Tables are read and written in db/queries/; import the query instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // Plain ES modules run by Node itself (scripts, config files).
    files: ["**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["env.ts", "tests/**", "bench/**", "scripts/**", "*.config.ts", "*.config.mjs"],
    rules: { "no-restricted-properties": "off" },
  },
);
