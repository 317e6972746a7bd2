"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { setLeaderboardAnonymousAction } from "./anonymous-action";

/** The instructor's switch between display names and anonymous handles. */
export function AnonymousToggle({ assignmentId, anonymous }: { assignmentId: string; anonymous: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <label className="flex items-center gap-2 text-sm">
      <input
        type="checkbox"
        checked={anonymous}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.checked;
          start(async () => {
            const res = await setLeaderboardAnonymousAction({ assignmentId, anonymous: next });
            if (res.ok) router.refresh();
            else setError(res.error);
          });
        }}
      />
      Show students anonymous handles instead of names
      {error && <span role="alert" className="text-red-700">{error}</span>}
    </label>
  );
}
