"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { setHeldoutSplitAction } from "./split-action";
import { Button } from "@/app/_components/ui/button";

type Issues = Record<string, string>;

function FieldError({ message }: { message?: string }) {
  return message ? <p role="alert" className="mt-1 text-sm text-red-700">{message}</p> : null;
}

/** Upload a training or held-out set in one of the three formats the grader reads. */
export function DatasetUploadForm({ uploadUrl }: { uploadUrl: string }) {
  const router = useRouter();
  const [format, setFormat] = useState<"image-folder" | "cifar10" | "mnist-idx">("image-folder");
  const [issues, setIssues] = useState<Issues>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      aria-label="Upload dataset"
      className="space-y-3"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setIssues({});
        setMessage(null);
        try {
          const res = await fetch(uploadUrl, { method: "POST", body: new FormData(e.currentTarget) });
          const body = (await res.json().catch(() => ({}))) as { error?: string; issues?: { path: string; message: string }[]; exampleCount?: number; role?: string };
          if (res.status === 201) {
            setMessage({ ok: true, text: `Registered ${body.exampleCount} examples as the ${body.role === "train" ? "training" : "held-out"} set.` });
            router.refresh();
          } else {
            setIssues(Object.fromEntries((body.issues ?? []).map((i) => [i.path, i.message])));
            setMessage({ ok: false, text: body.error ?? `The server answered ${res.status}.` });
          }
        } catch {
          setMessage({ ok: false, text: "The upload could not be sent; check your connection and try again." });
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="flex flex-wrap gap-4">
        <label className="text-sm">Use as
          <select name="role" className="mt-1 block rounded border border-slate-300 px-2 py-1">
            <option value="train">training set</option>
            <option value="heldout">held-out set</option>
          </select>
        </label>
        <label className="text-sm">Format
          <select name="format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)} className="mt-1 block rounded border border-slate-300 px-2 py-1">
            <option value="image-folder">image folders in a .zip (class_name/*.png|jpg)</option>
            <option value="cifar10">CIFAR-10 binary batches</option>
            <option value="mnist-idx">MNIST IDX (images + labels)</option>
          </select>
        </label>
      </div>
      {format === "image-folder" && (
        <label className="block text-sm">Archive (.zip)<input name="archive" type="file" accept=".zip,application/zip" className="mt-1 block" /><FieldError message={issues.archive} /></label>
      )}
      {format === "cifar10" && (
        <>
          <label className="block text-sm">Batch files (.bin)<input name="batches" type="file" multiple accept=".bin" className="mt-1 block" /><FieldError message={issues.batches} /></label>
          <label className="block text-sm">Class names (batches.meta.txt, optional)<input name="meta" type="file" accept=".txt,text/plain" className="mt-1 block" /></label>
        </>
      )}
      {format === "mnist-idx" && (
        <>
          <label className="block text-sm">Images (idx3)<input name="images" type="file" className="mt-1 block" /><FieldError message={issues.images} /></label>
          <label className="block text-sm">Labels (idx1)<input name="labels" type="file" className="mt-1 block" /><FieldError message={issues.labels} /></label>
        </>
      )}
      <FieldError message={issues.role ?? issues.format} />
      {message && <p role={message.ok ? "status" : "alert"} className={`text-sm ${message.ok ? "text-green-700" : "text-red-700"}`}>{message.text}</p>}
      <Button type="submit" size="sm" disabled={busy}>
        {busy ? "Decoding…" : "Upload and check"}
      </Button>
    </form>
  );
}

/** The held-out set's public/private split. */
export function HeldoutSplitForm({ assignmentId, publicFraction, splitSeed }: { assignmentId: string; publicFraction: number; splitSeed: number }) {
  const router = useRouter();
  const [issues, setIssues] = useState<Issues>({});
  const [pending, start] = useTransition();
  return (
    <form
      aria-label="Public/private split"
      className="flex flex-wrap items-start gap-4"
      action={(form) =>
        start(async () => {
          const res = await setHeldoutSplitAction({ assignmentId, publicFraction: form.get("publicFraction"), splitSeed: form.get("splitSeed") });
          setIssues(res.ok ? {} : Object.fromEntries((res.issues ?? [{ path: "_", message: res.error }]).map((i) => [i.path, i.message])));
          if (res.ok) router.refresh();
        })
      }
    >
      <label className="text-sm">Public fraction<input name="publicFraction" defaultValue={publicFraction} inputMode="decimal" className="mt-1 block w-24 rounded border border-slate-300 px-2 py-1" /><FieldError message={issues.publicFraction} /></label>
      <label className="text-sm">Seed<input name="splitSeed" defaultValue={splitSeed} inputMode="numeric" className="mt-1 block w-24 rounded border border-slate-300 px-2 py-1" /><FieldError message={issues.splitSeed} /></label>
      <Button type="submit" variant="dark" size="sm" disabled={pending} className="mt-5">Save split</Button>
      <FieldError message={issues._} />
    </form>
  );
}
