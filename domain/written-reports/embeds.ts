import { MAX_COMPARED_RUNS, MIN_COMPARED_RUNS } from "@/domain/runs/run-view";

/*
 * The embeds of a written report. A line holding only `{{run <id>}}`, `{{confusion <id>}}` or
 * `{{compare <id> <id> …}}` (a run is a submission id) is drawn from that run's stored report; every
 * other line is Markdown. Lines inside a fenced code block are text, so a report can show the syntax.
 * Pure text handling: no database, no React (the editor's preview parses the same way as the server).
 */

/** Longest report body, in characters, and most embeds in one report. */
export const MAX_REPORT_CHARS = 100_000;
export const MAX_EMBEDS = 40;

export type EmbedKind = "run" | "confusion" | "compare";

export interface Embed {
  kind: EmbedKind;
  ids: string[];
  /** 1-based line of the body it stands on. */
  line: number;
  /** Its number among the report's figures (1-based), for unique, citable titles. */
  figure: number;
}

export type ReportSegment = { type: "markdown"; text: string } | { type: "embed"; embed: Embed };

export interface ParsedReport {
  segments: ReportSegment[];
  embeds: Embed[];
  /** Malformed embed lines, each with its line number; they are shown as text and refused on save. */
  problems: { line: number; message: string }[];
}

const DIRECTIVE = /^\s*\{\{\s*([A-Za-z-]*)([^}]*)\}\}\s*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** The text a picker inserts for an embed. */
export function embedLine(kind: EmbedKind, ids: string[]): string {
  return `{{${kind} ${ids.join(" ")}}}`;
}

/** Splits a report body into Markdown and embeds, and lists the embed lines that are malformed. */
export function parseReport(body: string): ParsedReport {
  const lines = body.split(/\r?\n/);
  const segments: ReportSegment[] = [];
  const embeds: Embed[] = [];
  const problems: ParsedReport["problems"] = [];
  let text: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    if (text.some((l) => l.trim())) segments.push({ type: "markdown", text: text.join("\n") });
    text = [];
  };
  lines.forEach((lineText, i) => {
    const line = i + 1;
    const f = FENCE.exec(lineText);
    if (f) {
      const marker = f[1]!;
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      text.push(lineText);
      return;
    }
    const d = fence === null ? DIRECTIVE.exec(lineText) : null;
    if (!d) {
      text.push(lineText);
      return;
    }
    const kind = d[1]!.toLowerCase();
    const args = d[2]!.trim().split(/\s+/).filter(Boolean);
    const shown = lineText.trim().slice(0, 80);
    const problem = (message: string) => {
      problems.push({ line, message: `Line ${line}: ${message}` });
      text.push(lineText);
    };
    if (kind !== "run" && kind !== "confusion" && kind !== "compare") {
      return problem(`"${shown}" is not an embed; write {{run <run id>}}, {{confusion <run id>}} or {{compare <run id> <run id>}}, or use "Insert a run".`);
    }
    const bad = args.find((a) => !UUID.test(a));
    if (bad !== undefined) return problem(`"${bad.slice(0, 60)}" is not a run id (pick the run with "Insert a run").`);
    const ids = args.map((a) => a.toLowerCase());
    if (kind !== "compare" && ids.length !== 1) return problem(`{{${kind}}} takes exactly one run id; it has ${ids.length}.`);
    if (kind === "compare") {
      if (new Set(ids).size !== ids.length) return problem("{{compare}} names the same run twice.");
      if (ids.length < MIN_COMPARED_RUNS || ids.length > MAX_COMPARED_RUNS) return problem(`{{compare}} takes ${MIN_COMPARED_RUNS} to ${MAX_COMPARED_RUNS} run ids; it has ${ids.length}.`);
    }
    if (embeds.length >= MAX_EMBEDS) return problem(`a report holds at most ${MAX_EMBEDS} embedded figures.`);
    flush();
    const embed: Embed = { kind, ids, line, figure: embeds.length + 1 };
    embeds.push(embed);
    segments.push({ type: "embed", embed });
  });
  flush();
  return { segments, embeds, problems };
}

/** Every run id the report's embeds name, once each. */
export function embeddedRunIds(parsed: ParsedReport): string[] {
  return [...new Set(parsed.embeds.flatMap((e) => e.ids))];
}
