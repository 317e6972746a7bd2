import { describe, expect, it } from "vitest";
import { toCsv } from "@/lib/csv";

describe("writing quiz scores as CSV", () => {
  it("quotes cells with commas, quotes or line breaks", () => {
    expect(toCsv(["name", "score"], [['Lee, "Al"', 3], ["plain", null]])).toBe(
      'name,score\r\n"Lee, ""Al""",3\r\nplain,\r\n',
    );
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    expect(toCsv(["name"], [["=HYPERLINK(\"x\")"], ["@SUM(A1)"], ["-1+1"]])).toBe(
      "name\r\n\"'=HYPERLINK(\"\"x\"\")\"\r\n'@SUM(A1)\r\n'-1+1\r\n",
    );
  });
});
