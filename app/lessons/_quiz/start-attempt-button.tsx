"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";

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
      <Button size="lg" onClick={start} disabled={pending}>
        {pending ? "Opening…" : label}
      </Button>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
