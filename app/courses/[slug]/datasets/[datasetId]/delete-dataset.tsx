"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/app/_components/ui/button";

/**
 * "Delete this dataset", with a confirm step: the first button only asks; the second deletes (the dataset, its
 * files and its practice runs) and returns to the list. A refusal (a graded submission uses it) is shown here.
 */
export function DeleteDataset({ deleteUrl, listUrl, name }: { deleteUrl: string; listUrl: string; name: string }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  if (!asking) {
    return (
      <div>
        <Button variant="secondary" onClick={() => { setAsking(true); setTimeout(() => confirmRef.current?.focus(), 0); }}>Delete this dataset…</Button>
      </div>
    );
  }
  return (
    <div role="group" aria-label="Confirm deleting the dataset" className="rounded-lg border border-red-200 bg-red-50 p-4">
      <p className="text-sm text-red-900 [overflow-wrap:anywhere]">
        Delete “{name}”? Its zip, thumbnails and practice runs are deleted too; this cannot be undone.
      </p>
      {error && <p role="alert" className="mt-2 text-sm text-red-700">{error}</p>}
      <div className="mt-3 flex flex-wrap gap-3">
        <Button
          ref={confirmRef}
          className="bg-red-700 text-white hover:bg-red-800"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              const res = await fetch(deleteUrl, { method: "DELETE" });
              if (res.ok) {
                router.push(listUrl);
                router.refresh();
                return;
              }
              const body = (await res.json().catch(() => ({}))) as { error?: string };
              setError(body.error ?? `The server answered ${res.status}.`);
            } catch {
              setError("The request could not be sent; check your connection and try again.");
            }
            setBusy(false);
          }}
        >
          {busy ? "Deleting…" : "Yes, delete it"}
        </Button>
        <Button variant="secondary" disabled={busy} onClick={() => { setAsking(false); setError(null); }}>Keep it</Button>
      </div>
    </div>
  );
}
