"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { regradeAllAction } from "./regrade-all-action";
import { Button } from "@/app/_components/ui/button";

/** Regrades every finished submission of the assignment, after a confirmation. */
export function RegradeAllButton({ assignmentId }: { assignmentId: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-3">
      <Button
        variant="dark"
        size="sm"
        disabled={pending}
        onClick={() => {
          if (!window.confirm("Regrade every finished submission? Their current reports are kept for comparison.")) return;
          start(async () => {
            const res = await regradeAllAction({ assignmentId });
            setMessage(res.ok ? `${res.data.count} submission${res.data.count === 1 ? "" : "s"} queued for regrading.` : res.error);
            router.refresh();
          });
        }}
      >
        Regrade all
      </Button>
      {message && <span role="status" className="text-sm text-slate-700">{message}</span>}
    </span>
  );
}
