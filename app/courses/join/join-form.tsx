"use client";

import { useActionState } from "react";
import { joinCourseFormAction } from "./action";
import { Button } from "@/app/_components/ui/button";

/** Join a course by its code; a form action, so Join works even before the page's JavaScript has loaded. */
export function JoinCourseForm() {
  const [error, formAction] = useActionState(joinCourseFormAction, null);
  return (
    <form action={formAction} className="mt-4 flex flex-wrap items-start gap-2">
      <label className="text-sm font-medium">
        Join code
        <input name="code" required className="ml-2 rounded-md border border-slate-300 px-3 py-1.5 uppercase" />
      </label>
      <Button type="submit" className="py-1.5">Join</Button>
      {error && <p role="alert" className="w-full text-sm text-red-700">{error}</p>}
    </form>
  );
}
