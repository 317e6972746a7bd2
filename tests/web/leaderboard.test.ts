import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DbHandle } from "@/db";
import { assignments } from "@/db/schema";
import { findAssignmentById } from "@/db/queries/assignments/find-assignment";
import { anonymousHandle, getLeaderboard } from "@/domain/grading/leaderboard";
import { publicRankWithScore } from "@/db/queries/leaderboard/ranked-counted-submissions";
import { setLeaderboardAnonymous } from "@/db/queries/leaderboard/set-anonymous";
import { createTestDb, dbDriverName } from "../helpers/test-db";
import { seedAssignment, seedUser, tinyAssignmentConfig } from "../queue/fixtures/builders";
import { gradedSubmission } from "./fixtures";

const BEFORE_DEADLINE = new Date("2029-12-01T00:00:00Z");
const AFTER_DEADLINE = new Date("2030-01-02T00:00:00Z"); // tiny assignment is due 2030-01-01

describe(`the Assignment 6 leaderboard on ${dbDriverName}`, () => {
  let h: DbHandle;
  let assignmentId: string;
  const people: Record<string, Awaited<ReturnType<typeof seedUser>>> = {};

  beforeAll(async () => {
    h = await createTestDb();
    ({ assignmentId } = await seedAssignment(h.db, tinyAssignmentConfig()));
    for (const n of ["ann", "ben", "cat", "dan"]) people[n] = await seedUser(h.db);
    people.prof = await seedUser(h.db, "instructor");
    const at = (min: number) => new Date(Date.UTC(2029, 10, 1, 12, min));
    // ann: two tries, the better one counts. ben ties ann's best but submitted later. cat leads publicly
    // but collapses on the private split; dan is last publicly and first privately.
    await gradedSubmission(h.db, { assignmentId, userId: people.ann!.id, publicScore: 60, privateScore: 70, createdAt: at(1) });
    await gradedSubmission(h.db, { assignmentId, userId: people.ann!.id, publicScore: 80, privateScore: 75, createdAt: at(2) });
    await gradedSubmission(h.db, { assignmentId, userId: people.ben!.id, publicScore: 80, privateScore: 60, createdAt: at(3) });
    await gradedSubmission(h.db, { assignmentId, userId: people.cat!.id, publicScore: 90, privateScore: 40, createdAt: at(4) });
    await gradedSubmission(h.db, { assignmentId, userId: people.dan!.id, publicScore: 50, privateScore: 95, createdAt: at(5) });
    // Instructors try the assignment too, but are not ranked against students.
    await gradedSubmission(h.db, { assignmentId, userId: people.prof!.id, publicScore: 100, privateScore: 100, createdAt: at(6) });
  });
  afterAll(async () => h.close());

  const board = async (viewer: "ann" | "ben" | "cat" | "dan" | "prof", now: Date) =>
    getLeaderboard(h.db, await findAssignmentById(h.db, assignmentId), { id: people[viewer]!.id, role: viewer === "prof" ? "instructor" : "student" }, now);

  it("ranks each student once by their best public score, ties going to the earlier submission", async () => {
    await setLeaderboardAnonymous(h.db, assignmentId, false);
    const { entries } = await board("ann", BEFORE_DEADLINE);
    expect(entries.map((e) => [e.displayName, e.publicScore, e.publicRank])).toEqual([
      [people.cat!.name, 90, 1],
      [people.ann!.name, 80, 2],
      [people.ben!.name, 80, 3],
      [people.dan!.name, 50, 4],
    ]);
  });

  it("shows students no private score or rank before the deadline", async () => {
    const lb = await board("dan", BEFORE_DEADLINE);
    expect(lb.showPrivate).toBe(false);
    expect(lb.entries.every((e) => e.privateScore === null && e.privateRank === null && e.rankChange === null)).toBe(true);
  });

  it("shows instructors the private column and the rank changes at any time", async () => {
    const lb = await board("prof", BEFORE_DEADLINE);
    const dan = lb.entries.find((e) => e.userId === people.dan!.id)!;
    const cat = lb.entries.find((e) => e.userId === people.cat!.id)!;
    expect(dan).toMatchObject({ privateScore: 95, privateRank: 1, rankChange: 3 });
    expect(cat).toMatchObject({ privateScore: 40, privateRank: 4, rankChange: -3 });
  });

  it("reveals private scores and final ranks to everyone after the deadline", async () => {
    const lb = await board("ben", AFTER_DEADLINE);
    expect(lb.showPrivate).toBe(true);
    expect(lb.entries.find((e) => e.handle === anonymousHandle(assignmentId, people.ann!.id))).toMatchObject({ privateScore: 75, privateRank: 2, rankChange: 0 });
  });

  it("gives a student's page no user id at all — rows are keyed by handle, the viewer's own row is flagged", async () => {
    for (const anonymous of [true, false]) {
      await setLeaderboardAnonymous(h.db, assignmentId, anonymous);
      const lb = await board("ben", BEFORE_DEADLINE);
      // Everything the page could serialise into its RSC payload.
      const payload = JSON.stringify(lb);
      for (const n of ["ann", "ben", "cat", "dan", "prof"]) expect(payload, `${n}'s id, anonymous=${anonymous}`).not.toContain(people[n]!.id);
      expect(lb.entries.every((e) => e.userId === null)).toBe(true);
      expect(new Set(lb.entries.map((e) => e.handle)).size).toBe(4);
      expect(lb.entries.filter((e) => e.isViewer).map((e) => e.displayName)).toEqual([people.ben!.name]);
    }
    // Instructors still see who is who (the submissions they link to, regrade rank changes).
    const forProf = await board("prof", BEFORE_DEADLINE);
    expect(forProf.entries.map((e) => e.userId)).toContain(people.dan!.id);
  });

  it("anonymises other students' names when the instructor chooses, but not the viewer's own or for instructors", async () => {
    await setLeaderboardAnonymous(h.db, assignmentId, true);
    const lb = await board("ben", BEFORE_DEADLINE);
    const names = lb.entries.map((e) => e.displayName);
    expect(names).toContain(people.ben!.name);
    expect(names).not.toContain(people.ann!.name);
    expect(names).toContain(anonymousHandle(assignmentId, people.ann!.id));
    // The handle is stable and does not contain the name or the id.
    expect(anonymousHandle(assignmentId, people.ann!.id)).toBe(anonymousHandle(assignmentId, people.ann!.id));
    expect(anonymousHandle(assignmentId, people.ann!.id)).not.toContain(people.ann!.id.slice(0, 6));
    const forProf = await board("prof", BEFORE_DEADLINE);
    expect(forProf.entries.map((e) => e.displayName)).toContain(people.ann!.name);
    const [row] = await h.db.select({ a: assignments.leaderboardAnonymous }).from(assignments).where(eq(assignments.id, assignmentId));
    expect(row!.a).toBe(true);
  });

  it("tells how a new score would move a student (for regrade comparisons)", async () => {
    expect(await publicRankWithScore(h.db, assignmentId, people.dan!.id, 50)).toBe(4);
    expect(await publicRankWithScore(h.db, assignmentId, people.dan!.id, 85)).toBe(2);
    expect(await publicRankWithScore(h.db, assignmentId, people.dan!.id, 99)).toBe(1);
  });

  it("after the deadline ranks by the private score of each student's counted submission", async () => {
    await setLeaderboardAnonymous(h.db, assignmentId, false);
    const { entries, split } = await board("cat", AFTER_DEADLINE);
    expect(split).toBe("private");
    expect(entries.map((e) => [e.displayName, e.score, e.rank])).toEqual([
      [people.dan!.name, 95, 1],
      [people.ann!.name, 75, 2],
      [people.ben!.name, 60, 3],
      [people.cat!.name, 40, 4],
    ]);
  });

  it("shows the top rows and the viewer's own row below them, with the class size", async () => {
    const lb = await getLeaderboard(h.db, await findAssignmentById(h.db, assignmentId), { id: people.dan!.id, role: "student" }, BEFORE_DEADLINE, 2);
    expect(lb.total).toBe(4);
    expect(lb.entries.map((e) => e.rank)).toEqual([1, 2]);
    expect(lb.viewerBelow).toMatchObject({ rank: 4, isViewer: true, displayName: people.dan!.name });
    const top = await getLeaderboard(h.db, await findAssignmentById(h.db, assignmentId), { id: people.cat!.id, role: "student" }, BEFORE_DEADLINE, 2);
    expect(top.viewerBelow).toBeNull();
  });
});
