import fs from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { ZodType, ZodTypeDef } from "zod";
import { ContentFileError } from "./content-error";

/** Where course content lives; resolved per call so nothing is read on import. */
export function assignmentsRoot(): string {
  return path.join(process.cwd(), "assignments");
}

/** Path shown in error messages: relative to the repository, so it is the path an author edits. */
export function displayPath(filePath: string): string {
  const relative = path.relative(process.cwd(), filePath);
  return relative && !relative.startsWith("..") ? relative : filePath;
}

/** Reads a text file, turning "not found" into a ContentFileError that names the file and who refers to it. */
export async function readText(filePath: string, referencedFrom?: { file: string; field: string }): Promise<string> {
  try {
    return await fs.readFile(filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && referencedFrom) {
      throw new ContentFileError(displayPath(referencedFrom.file), [
        { path: referencedFrom.field, message: `refers to ${displayPath(filePath)}, which does not exist` },
      ]);
    }
    throw error;
  }
}

/** Parses YAML or JSON text and validates it; syntax and schema errors both name the file. */
export function parseContent<Out, In>(
  filePath: string,
  text: string,
  schema: ZodType<Out, ZodTypeDef, In>,
  format: "yaml" | "json",
): Out {
  let raw: unknown;
  try {
    raw = format === "yaml" ? parseYaml(text, { prettyErrors: true }) : JSON.parse(text);
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos ? `line ${error.linePos[0].line}` : `(${format} syntax)`;
    throw new ContentFileError(displayPath(filePath), [{ path: where, message: (error as Error).message }]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ContentFileError.fromZod(displayPath(filePath), parsed.error);
  return parsed.data;
}
