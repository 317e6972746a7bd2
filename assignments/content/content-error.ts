import type { ZodError } from "zod";

/**
 * A content file in `assignments/` that does not match its schema. The message names the file and
 * every field at fault, so an author can fix the file without reading the loader.
 */
export class ContentFileError extends Error {
  override readonly name = "ContentFileError";

  constructor(
    readonly filePath: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(
      `${filePath} is invalid:\n` + problems.map((p) => `  - ${p.path || "(file)"}: ${p.message}`).join("\n"),
    );
  }

  /** Builds the error from a zod failure, turning issue paths into `a.b[2].c` notation. */
  static fromZod(filePath: string, error: ZodError): ContentFileError {
    return new ContentFileError(
      filePath,
      error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
    );
  }
}

/** `["questions", 3, "correct"]` → `questions[3].correct` */
export function formatIssuePath(path: (string | number)[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part),
    "",
  );
}
