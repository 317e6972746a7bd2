import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { submissions } from "@/db/schema";
import { handleCreateSubmission } from "@/app/api/assignments/[number]/submissions/handle-create-submission";
import { startingSpec } from "@/app/courses/[slug]/assignments/[number]/starting-spec";
import { submissionsLeftToday } from "@/db/queries/submissions/submissions-left-today";
import { REJECTED_SPEC_KEEP_BYTES } from "@/grader/queue/rejected-spec";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig, tinySpec } from "../queue/fixtures/builders";
import { enrolStudent, failure, formPost, zipFile, zipOf } from "./fixtures";
import { blobStore } from "@/grader/storage/blob-store";

/** The refusals this test assignment records per student per day. */
const DAILY_REJECTED = 3;

/** The submit form of assignment 6, posted. */
const form = (fields: Record<string, string | File>) => formPost("http://test/api/assignments/6/submissions", fields);

/**
 * A one-line spec of about `bytes` that fails validation: an unknown kind, then two-byte characters
 * in a comment. (One line, since a form field's line breaks travel as CRLF.)
 */
function invalidSpecOf(bytes: number): string {
  const head = "{ kind: telepathy } # ";
  return head + "é".repeat(Math.ceil((bytes - head.length) / 2));
}

describe(`submitting twice, and refused specs, through POST /api/assignments/6/submissions on ${dbDriverName}`, () => {
  let h: DbHandle;
  let courseId: string;
  let assignmentId: string;
  let dataDir: string;

  beforeAll(async () => {
    h = await createTestDb();
    const base = tinyAssignmentConfig();
    ({ courseId, assignmentId } = await seedAssignment(h.db, { ...base, limits: { ...base.limits, dailyRejectedSubmissions: DAILY_REJECTED } }));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-web-twice-"));
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function newStudent() {
    const s = await seedUser(h.db);
    await enrolStudent(h.db, courseId, s.id);
    return { id: s.id, role: "student" as const };
  }
  const submit = (req: Request, who: { id: string; role: "student" }) => handleCreateSubmission(req, who, "6", h.db, { queue: null, dataDir });
  const rowsOf = (userId: string) => h.db.select().from(submissions).where(eq(submissions.userId, userId));
  const left = (userId: string) => submissionsLeftToday(h.db, { assignmentId, userId, dailyLimit: 5 });

  it("makes one submission and one quota use of a double click: two identical requests at once, one key", async () => {
    const student = await newStudent();
    const key = crypto.randomUUID();
    const fields = { mode: "builder", spec: JSON.stringify(tinySpec()), idempotencyKey: key };
    const [a, b] = await Promise.all([submit(form(fields), student), submit(form(fields), student)]);
    expect(b.id).toBe(a.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await rowsOf(student.id)).toHaveLength(1);
    expect(await left(student.id)).toBe(4);
    // A new render of the form brings a new key: that is a second submission.
    const next = await submit(form({ ...fields, idempotencyKey: crypto.randomUUID() }), student);
    expect(next.id).not.toBe(a.id);
    expect(await left(student.id)).toBe(3);
  });

  it("keeps one stored model file when a trained-model upload is sent twice at once", async () => {
    const student = await newStudent();
    const bytes = await zipOf({ "model/model.json": JSON.stringify({ modelTopology: {}, weightsManifest: [] }), "model/group1-shard1of1.bin": "w" });
    const fields = () => ({ mode: "model", idempotencyKey: key, model: zipFile(bytes, "m.zip") });
    const key = crypto.randomUUID();
    const [a, b] = await Promise.all([submit(form(fields()), student), submit(form(fields()), student)]);
    expect(b.id).toBe(a.id);
    const [row] = await rowsOf(student.id);
    const file = await blobStore(dataDir).localPath(row!.artifactKey!);
    expect(fs.existsSync(file)).toBe(true);
    const stored = (fs.readdirSync(path.join(dataDir, "blobs", "submissions"), { recursive: true }) as string[]).filter((f) => f.endsWith("model.zip"));
    expect(stored).toEqual([path.relative(path.join(dataDir, "blobs", "submissions"), file)]);
  });

  it("refuses a malformed submit key with a 422 on that field", async () => {
    const student = await newStudent();
    const err = await failure(submit(form({ mode: "builder", spec: JSON.stringify(tinySpec()), idempotencyKey: "'; drop table submissions" }), student));
    expect(err.status).toBe(422);
    expect(err.issues).toContainEqual(expect.objectContaining({ path: "idempotencyKey" }));
    expect(await rowsOf(student.id)).toHaveLength(0);
  });

  it("keeps only the first 8 KB of a refused 1 MB spec, and 'submit again' says the text was cut", async () => {
    const student = await newStudent();
    const spec = invalidSpecOf(1024 * 1024);
    const err = await failure(submit(form({ mode: "spec", spec }), student));
    expect(err.status).toBe(422);
    const [row] = await rowsOf(student.id);
    expect(row).toMatchObject({ status: "rejected", errorMessage: expect.stringMatching(/^Invalid spec/) });
    const [{ stored }] = await h.db
      .select({ stored: sql<number>`octet_length(${submissions.spec}::text)` })
      .from(submissions)
      .where(eq(submissions.id, row!.id));
    expect(Number(stored)).toBeLessThan(2 * REJECTED_SPEC_KEEP_BYTES);

    const again = startingSpec(row!);
    expect(again.cut).toEqual({ keptBytes: expect.any(Number), originalBytes: Buffer.byteLength(spec) });
    expect(again.cut!.keptBytes).toBeLessThanOrEqual(REJECTED_SPEC_KEEP_BYTES);
    expect(spec.startsWith(again.text!)).toBe(true); // cut between characters, never inside one
  });

  it("gives a short refused spec back whole to 'submit again', not marked as cut", async () => {
    const student = await newStudent();
    const spec = JSON.stringify({ kind: "cnn", layers: [], training: { epochs: 1 } });
    await failure(submit(form({ mode: "spec", spec }), student));
    const [row] = await rowsOf(student.id);
    expect(startingSpec(row!)).toEqual({ start: null, text: spec, cut: null });
  });

  it("stops recording refused specs at the day's cap with a 429 that gives the reason and when, and still accepts a valid spec", async () => {
    const student = await newStudent();
    for (let i = 0; i < DAILY_REJECTED; i++) expect((await failure(submit(form({ mode: "spec", spec: invalidSpecOf(64 * 1024) }), student))).status).toBe(422);
    const err = await failure(submit(form({ mode: "spec", spec: invalidSpecOf(64 * 1024) }), student));
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/^Invalid spec: .* — This spec was not saved .* 3 refused submissions, .* saved again from \d{4}-\d\d-\d\d 00:00 UTC/);
    const rejected = await h.db.select().from(submissions).where(and(eq(submissions.userId, student.id), eq(submissions.status, "rejected")));
    expect(rejected).toHaveLength(DAILY_REJECTED);
    // The cap is on stored refusals, not on grading: a spec that passes the checks goes through.
    await expect(submit(form({ mode: "builder", spec: JSON.stringify(tinySpec()) }), student)).resolves.toMatchObject({ replayed: false });
  });
});
