import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { datasets } from "@/db/schema";

/** Every dataset uploaded for an assignment, newest first (the active one of each role is marked). */
export async function listDatasets(db: Db, assignmentId: string) {
  return db.select().from(datasets).where(eq(datasets.assignmentId, assignmentId)).orderBy(desc(datasets.createdAt));
}
