import { redirectToCoursePage } from "@/app/_lib/http/legacy-redirect";

type Props = { params: Promise<{ number: string; rest?: string[] }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/assignments/<n>/…` moved to `/courses/<slug>/assignments/<n>/…`. */
export default async function MovedAssignmentPage({ params, searchParams }: Props) {
  return redirectToCoursePage("assignment", await params, await searchParams);
}
