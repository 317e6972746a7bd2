import { redirectToCoursePage } from "@/app/_lib/http/legacy-redirect";

type Props = { params: Promise<{ number: string; rest?: string[] }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/lessons/<n>/…` moved to `/courses/<slug>/lessons/<n>/…`. */
export default async function MovedLessonPage({ params, searchParams }: Props) {
  return redirectToCoursePage("lesson", await params, await searchParams);
}
