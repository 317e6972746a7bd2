"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * Starts (or resumes) an attempt through the API and opens it. The server decides whether a new
 * attempt is allowed; this button only reports what it said.
 */
export function StartAttemptButton({ quizId, quizPath, label }: { quizId: string; quizPath: string; label: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start() {
    setPending(true);
    setError(null);
    try {
      const res = await fetch(`/api/quizzes/${quizId}/attempts`, { method: "POST" });
      const body = (await res.json()) as { attemptId?: string; error?: string };
      if (!res.ok || !body.attemptId) throw new Error(body.error ?? `The server answered ${res.status}.`);
      router.push(`${quizPath}/attempts/${body.attemptId}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setPending(false);
    }
  }

  return (
    <div>
      <button
        type="button"
        onClick={start}
        disabled={pending}
        className="rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Opening…" : label}
      </button>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
