import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { and, eq } from "drizzle-orm";
import { openDb, type DbHandle } from "@/db";
import { assignments, courses, enrollments, users } from "@/db/schema";
import { DEMO_COURSE, DEMO_INSTRUCTOR, DEMO_STUDENT } from "@/db/seed/demo-accounts";
import { hasChromium, NO_CHROMIUM, screenshot, signIn } from "./helpers/browser";
import { useRunningSite } from "./helpers/running-site";
import { runReport, seedRun, seedStudentDataset } from "../web/runs-fixtures";

/*
 * The compare page and the written-report editor in Chromium, on runs written straight into the site's
 * database (so it needs Postgres: the test and the server share DATABASE_URL; PGlite is one process's).
 */
const canSeed = Boolean(process.env.DATABASE_URL);
if (!hasChromium) console.warn(`[tests] ${NO_CHROMIUM}`);
else if (!canSeed) console.warn("[tests] written-report e2e skipped: it seeds runs into the server's database, which needs DATABASE_URL (Postgres)");

const WIDTHS = [1280, 390] as const;

/** axe-core's serious and critical findings, and whether the document is wider than the viewport. */
async function pageProblems(page: Page): Promise<string[]> {
  const out: string[] = [];
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  if (scrollWidth > clientWidth) out.push(`document is ${scrollWidth} px wide in ${clientWidth} px`);
  const axe = await new AxeBuilder({ page }).analyze();
  for (const v of axe.violations) {
    if (v.impact === "serious" || v.impact === "critical") out.push(`axe ${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  }
  return out;
}

/** Tabs from the top of the page until `test` says the wanted element has the focus; fails after `max` presses. */
async function tabTo(page: Page, test: () => Promise<boolean>, max = 250): Promise<number> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    if (await test()) return i;
  }
  throw new Error(`not reached with ${max} presses of Tab`);
}

describe.skipIf(!hasChromium || !canSeed)("comparing runs and writing the report with embedded runs, in a real browser", () => {
  const site = useRunningSite({ browser: true });
  let h: DbHandle;
  let datasetId = "";
  let cnn = "";
  let transfer = "";
  let othersRun = "";
  let graded = "";
  let compareUrl = "";

  beforeAll(async () => {
    h = await openDb({ databaseUrl: site.server.databaseUrl! });
    const [course] = await h.db.select().from(courses).where(eq(courses.slug, DEMO_COURSE.slug));
    const [assignment] = await h.db.select().from(assignments).where(and(eq(assignments.courseId, course!.id), eq(assignments.number, 6)));
    const [student] = await h.db.select().from(users).where(eq(users.email, DEMO_STUDENT.email));
    const [classmate] = await h.db.insert(users).values({ email: `classmate-${crypto.randomUUID()}@test.dev`, name: "Classmate", role: "student" }).returning();
    await h.db.insert(enrollments).values({ courseId: course!.id, userId: classmate!.id, role: "student" });
    datasetId = await seedStudentDataset(h.db, { courseId: course!.id, assignmentId: assignment!.id, userId: student!.id, name: "my clothes" });
    cnn = await seedRun(h.db, { assignmentId: assignment!.id, userId: student!.id, studentDatasetId: datasetId, name: "simple cnn", report: runReport({ accuracy: 0.7, macroF1: 0.7123, params: 52000, trainMs: 12400 }) });
    transfer = await seedRun(h.db, {
      assignmentId: assignment!.id, userId: student!.id, studentDatasetId: datasetId, name: "fashion transfer", kind: "transfer",
      report: runReport({ accuracy: 0.85, macroF1: 0.8437, params: 4200, trainMs: 3100, kind: "transfer" }),
    });
    graded = await seedRun(h.db, { assignmentId: assignment!.id, userId: student!.id, studentDatasetId: null, name: "graded cnn", report: runReport({ accuracy: 0.8, macroF1: 0.7912 }) });
    othersRun = await seedRun(h.db, { assignmentId: assignment!.id, userId: classmate!.id, studentDatasetId: null, name: "theirs" });
    compareUrl = `${site.server.url}/courses/${DEMO_COURSE.slug}/datasets/${datasetId}/compare?runs=${cnn},${transfer}`;
  }, 900_000);
  afterAll(async () => h?.close());

  it("compares the custom CNN with the transfer recipe at 1280 and 390 px: figures, verdict, keyboard, axe", async () => {
    const page = await (await site.browser.newContext()).newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.goto(compareUrl);
      const verdict = await page.getByTestId("compare-verdict").textContent();
      expect(verdict).toContain("Transfer learning wins on this dataset: B (fashion transfer) reaches macro-F1 0.844 against 0.712 for A (simple cnn)");
      const table = page.getByTestId("compare-metrics");
      expect(await table.textContent()).toContain("★ best");
      expect(await page.locator('[data-chart="confusion-difference"]').count()).toBe(1);
      expect(await page.locator('[data-chart="grouped-bars"]').count()).toBe(1);
      expect(await pageProblems(page)).toEqual([]);
      await screenshot(page, `compare-runs-${width}`);
    }
    // The data behind a chart opens from the keyboard.
    const summary = page.locator('[data-chart="compare-curves"] summary');
    await tabTo(page, () => summary.evaluate((el) => el === document.activeElement));
    await page.keyboard.press("Enter");
    expect(await page.locator('[data-chart="compare-curves"] details').getAttribute("open")).not.toBeNull();
    await page.context().close();
  }, 300_000);

  it("answers a comparison with another student's run with the 404 page, and runs on other data with the reason", async () => {
    const page = await (await site.browser.newContext()).newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    const res = await page.goto(`${site.server.url}/courses/${DEMO_COURSE.slug}/datasets/${datasetId}/compare?runs=${cnn},${othersRun}`);
    expect(res!.status()).toBe(404);
    await page.goto(`${site.server.url}/courses/${DEMO_COURSE.slug}/datasets/${datasetId}/compare?runs=${cnn}`);
    expect(await page.getByTestId("compare-refused").textContent()).toContain("Pick at least 2 different runs to compare.");
    await page.context().close();
  }, 120_000);

  it("writes the report with the keyboard, embeds runs from the picker, keeps the draft over a reload, refuses another student's run, and hands it in", async () => {
    const page = await (await site.browser.newContext()).newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.setViewportSize({ width: 1280, height: 900 });
    const assignmentUrl = `${site.server.url}/courses/${DEMO_COURSE.slug}/assignments/6`;
    await page.goto(assignmentUrl);
    const editor = page.getByLabel("Report (Markdown)");
    await tabTo(page, () => editor.evaluate((el) => el === document.activeElement));
    await page.keyboard.type("# Evaluation\n\nThe transfer recipe wins on my clothes.\n");
    // The picker: choose the transfer run's metrics table and insert it, by keyboard.
    const picker = page.getByLabel("Insert a run", { exact: true });
    await picker.focus();
    await picker.selectOption(transfer);
    await page.getByRole("button", { name: "Insert", exact: true }).focus();
    await page.keyboard.press("Enter");
    expect(await editor.inputValue()).toContain(`{{run ${transfer}}}`);
    // The comparison, ticked in the picker.
    await page.getByText("Insert a comparison").click();
    for (const label of ["simple cnn", "fashion transfer"]) await page.getByRole("checkbox", { name: new RegExp(`^${label}`) }).check();
    await page.getByRole("button", { name: "Insert comparison" }).click();
    const preview = page.getByTestId("report-preview");
    await preview.getByText("Figure 1: metrics of fashion transfer (transfer learning)").first().waitFor();
    await preview.getByText(/Figure 2: comparison of A \(simple cnn\), B \(fashion transfer\)/).first().waitFor();
    // 0.844: the stored report's macro-F1, drawn in the preview.
    expect(await preview.textContent()).toContain("0.844");
    await page.getByTestId("report-save-state").getByText(/^Saved /).waitFor({ timeout: 20_000 });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      expect(await pageProblems(page)).toEqual([]);
      await screenshot(page, `written-report-editor-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // A reload shows what was saved.
    await page.reload();
    expect(await page.getByLabel("Report (Markdown)").inputValue()).toContain(`{{compare ${cnn} ${transfer}}}`);

    // Another student's run, typed in by hand: refused, named by line, and never drawn.
    await page.getByLabel("Report (Markdown)").press("End");
    await page.getByLabel("Report (Markdown)").press("Control+End");
    await page.keyboard.type(`\n{{run ${othersRun}}}\n`);
    await page.getByTestId("report-save-state").getByText(/Not saved: Line \d+: no run of yours has the id/).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("report-preview").textContent()).toContain("cannot be shown");
    await screenshot(page, "written-report-refused-embed");
    // Take it out again, then hand in.
    const text = await page.getByLabel("Report (Markdown)").inputValue();
    await page.getByLabel("Report (Markdown)").fill(text.replace(`{{run ${othersRun}}}`, ""));
    await page.getByTestId("report-save-state").getByText(/^Saved /).waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Hand in" }).click();
    await page.getByRole("button", { name: "Yes, hand it in" }).click();
    await page.getByTestId("report-handed-in").waitFor();
    await page.reload();
    expect(await page.getByTestId("report-handed-in").textContent()).toContain("can no longer be changed");
    await screenshot(page, "written-report-handed-in");
    await page.context().close();
  }, 300_000);

  it("shows the instructor the handed-in report with its figures beside the rubric", async () => {
    const page = await (await site.browser.newContext()).newPage();
    await signIn(page, site.server.url, DEMO_INSTRUCTOR);
    await page.setViewportSize({ width: 1280, height: 900 });
    // The rubric is graded on one of the student's graded submissions; the report sits beside it.
    await page.goto(`${site.server.url}/submissions/${graded}`);
    const report = page.getByTestId("instructor-written-report");
    expect(await report.textContent()).toContain("The transfer recipe wins on my clothes.");
    expect(await report.textContent()).toContain("0.844");
    expect(await page.getByRole("form", { name: "Rubric" }).getByTestId("rubric-no-report").count()).toBe(0);
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, "written-report-instructor-1280");
    // Graded with the rubric beside it (no "Grade it anyway": the handed-in report counts).
    const form = page.getByRole("form", { name: "Rubric" });
    for (const [label, points] of [["Data preparation (0–20)", "15"], ["Model design (0–25)", "20"], ["Evaluation (0–30)", "25"], ["Comparison and conclusions (0–25)", "22"]] as const) {
      await form.getByLabel(label).fill(points);
    }
    await form.getByLabel("Comment").fill("The comparison figure makes the case; say why the CNN confuses triangles.");
    await form.getByRole("button", { name: "Save rubric grade" }).click();
    await form.getByText("Saved: 82 / 100").waitFor();
    await page.context().close();
  }, 120_000);

  it("shows the student the rubric grade beside the handed-in report, and the comments on the submission", async () => {
    const page = await (await site.browser.newContext()).newPage();
    await signIn(page, site.server.url, DEMO_STUDENT);
    await page.goto(`${site.server.url}/courses/${DEMO_COURSE.slug}/assignments/6`);
    expect(await page.getByTestId("written-report-grade").textContent()).toContain("82 / 100");
    await page.getByTestId("written-report-grade").getByRole("link", { name: "Points per criterion and comments" }).click();
    await page.waitForURL(/\/submissions\//);
    expect(await page.getByTestId("rubric-comment").textContent()).toBe("The comparison figure makes the case; say why the CNN confuses triangles.");
    await page.context().close();
  }, 120_000);
});
