"use client";

import { useState } from "react";
import { regenerateJoinCodeAction } from "./actions";

export function RegenerateJoinCodeButton({ courseId, code }: { courseId: string; code: string }) {
  const [current, setCurrent] = useState(code);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-3">
      <code data-testid="join-code" className="rounded bg-slate-100 px-2 py-0.5">{current}</code>
      <button
        type="button"
        className="text-sm text-brand-600 hover:underline"
        onClick={async () => {
          const res = await regenerateJoinCodeAction({ courseId });
          if (res.ok) setCurrent(res.data.joinCode);
          else setError(res.error);
        }}
      >
        New code
      </button>
      {error && <span role="alert" className="text-sm text-red-700">{error}</span>}
    </span>
  );
}
