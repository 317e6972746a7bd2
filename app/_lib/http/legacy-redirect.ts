import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db";
import { requireUser } from "@/app/_lib/auth/session";
import { urlNumberSchema } from "@/app/_lib/auth/course-access";
import { courseSlugWith } from "@/db/queries/courses/course-with-number";

type SearchParams = Record<string, string | string[] | undefined>;

/** The query string of a request, as the page received it, for passing on to where it moved. */
export function queryOf(searchParams: SearchParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) q.append(k, one);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/**
 * The pages that lived at `/assignments/<n>/…` and `/lessons/<n>/…` before they moved under their
 * course: sends the visitor to the same page of the course that has that number (one they are
 * enrolled in first), or 404.
 */
export async function redirectToCoursePage(
  kind: "assignment" | "lesson",
  params: { number: string; rest?: string[] },
  searchParams: SearchParams,
): Promise<never> {
  const oldPath = `/${kind}s/${params.number}${params.rest?.length ? `/${params.rest.join("/")}` : ""}`;
  const user = await requireUser(oldPath);
  const n = urlNumberSchema.safeParse(params.number);
  if (!n.success) notFound();
  const slug = await courseSlugWith(await getDb(), { userId: user.id, kind, number: n.data });
  if (!slug) notFound();
  const rest = (params.rest ?? []).map(encodeURIComponent).join("/");
  redirect(`/courses/${slug}/${kind}s/${n.data}${rest ? `/${rest}` : ""}${queryOf(searchParams)}`);
}
