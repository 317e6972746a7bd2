"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { joinCourseAction } from "./action";
import { Button } from "@/app/_components/ui/button";

export function JoinCourseForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const res = await joinCourseAction({ code: String(new FormData(e.currentTarget).get("code") ?? "") });
    if (!res.ok) return setError(res.error);
    router.push(`/courses/${res.data.slug}`);
    router.refresh();
  }
  return (
    <form onSubmit={onSubmit} className="mt-4 flex flex-wrap items-start gap-2">
      <label className="text-sm font-medium">
        Join code
        <input name="code" required className="ml-2 rounded-md border border-slate-300 px-3 py-1.5 uppercase" />
      </label>
      <Button type="submit" className="py-1.5">Join</Button>
      {error && <p role="alert" className="w-full text-sm text-red-700">{error}</p>}
    </form>
  );
}
