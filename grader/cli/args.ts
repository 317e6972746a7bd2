/**
 * A minimal `--name value` / `--flag` parser for the grader's scripts (node's util.parseArgs with our messages).
 */
import { parseArgs } from "node:util";

export function cliArgs<T extends Record<string, { type: "string" | "boolean"; default?: string | boolean }>>(
  options: T, usage: string,
): { values: { [K in keyof T]?: T[K]["type"] extends "string" ? string : boolean }; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ options, allowPositionals: true, strict: true });
    return { values: values as { [K in keyof T]?: T[K]["type"] extends "string" ? string : boolean }, positionals };
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
    process.exit(2);
  }
}
