"use client";

import { useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/app/_components/ui/button";

/** An assignment that takes own datasets, with the caps the form explains and offers. */
export interface UploadTarget {
  number: number;
  title: string;
  inputSizes: number[];
  channels: ("colour" | "grayscale")[];
  maxUploadMb: number;
  maxImages: number;
  minClasses: number;
  maxClasses: number;
  minImagesPerClass: number;
}

type Issues = Record<string, string>;

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? <p id={id} className="mt-1 text-sm text-red-700 [overflow-wrap:anywhere]">{message}</p> : null;
}

/**
 * The upload form: name, assignment, input size, colour or grayscale, and the zip. Sent with XMLHttpRequest so the
 * bytes sent can be shown as they go; then the server reads the images (a few seconds to a minute), and the page of
 * the new dataset opens. A refusal is shown on the field it is about.
 */
export function OwnDatasetUploadForm({ uploadUrl, datasetsUrl, targets, kept }: { uploadUrl: string; datasetsUrl: string; targets: UploadTarget[]; kept: number }) {
  const router = useRouter();
  const id = useId();
  const [assignment, setAssignment] = useState(targets[0]!.number);
  const target = targets.find((t) => t.number === assignment) ?? targets[0]!;
  const [issues, setIssues] = useState<Issues>({});
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<{ kind: "idle" } | { kind: "sending"; percent: number } | { kind: "reading" }>({ kind: "idle" });
  const xhr = useRef<XMLHttpRequest | null>(null);
  const busy = phase.kind !== "idle";
  const described = (field: string, hint?: string) => [issues[field] ? `${id}-${field}-error` : "", hint ?? ""].filter(Boolean).join(" ") || undefined;

  const send = (form: HTMLFormElement) => {
    setIssues({});
    setError(null);
    const file = (form.elements.namedItem("archive") as HTMLInputElement).files?.[0];
    if (!file) {
      setIssues({ archive: "Choose a .zip with one folder of images per class." });
      return;
    }
    if (file.size > target.maxUploadMb * 1024 * 1024) {
      setIssues({ archive: `This zip is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${target.maxUploadMb} MB.` });
      return;
    }
    const body = new FormData(form);
    body.delete("assignment");
    const request = new XMLHttpRequest();
    xhr.current = request;
    request.open("POST", `${uploadUrl}?assignment=${assignment}`);
    request.responseType = "json";
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) setPhase(e.loaded >= e.total ? { kind: "reading" } : { kind: "sending", percent: Math.round((e.loaded / e.total) * 100) });
    };
    request.upload.onload = () => setPhase({ kind: "reading" });
    request.onload = () => {
      const answer = (request.response ?? {}) as { id?: string; error?: string; issues?: { path: string; message: string }[] };
      if (request.status === 201 && answer.id) {
        router.push(`${datasetsUrl}/${answer.id}`);
        return;
      }
      setPhase({ kind: "idle" });
      const byField = Object.fromEntries((answer.issues ?? []).map((i) => [i.path, i.message]));
      if (request.status === 413) byField.archive ??= answer.error ?? "The zip is too large.";
      setIssues(byField);
      const onField = Object.keys(byField).length > 0;
      setError(onField ? "The dataset was not accepted; see the fields marked below." : (answer.error ?? `The server answered ${request.status}.`));
    };
    request.onerror = () => {
      setPhase({ kind: "idle" });
      setError("The upload could not be sent; check your connection and try again.");
    };
    request.onabort = () => setPhase({ kind: "idle" });
    setPhase({ kind: "sending", percent: 0 });
    request.send(body);
  };

  return (
    <form
      aria-label="Upload a dataset"
      className="mt-3 space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send(e.currentTarget);
      }}
    >
      <p className="text-sm text-slate-600">
        Up to {target.maxUploadMb} MB and {target.maxImages.toLocaleString("en")} images; {target.minClasses}–{target.maxClasses} class
        folders with at least {target.minImagesPerClass} images each; JPEG, PNG or WebP. Other files are skipped and listed.
        {kept > 0 && ` You keep ${kept} dataset${kept === 1 ? "" : "s"} here now.`}
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-name`} className="block text-sm font-medium">Name</label>
          <input id={`${id}-name`} name="name" type="text" maxLength={100} placeholder="the zip's name if left empty"
            aria-invalid={issues.name ? true : undefined} aria-describedby={described("name")}
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
          <FieldError id={`${id}-name-error`} message={issues.name} />
        </div>
        <div>
          <label htmlFor={`${id}-assignment`} className="block text-sm font-medium">For assignment</label>
          <select id={`${id}-assignment`} name="assignment" value={assignment} onChange={(e) => setAssignment(Number(e.target.value))}
            aria-invalid={issues.assignment ? true : undefined} aria-describedby={described("assignment")}
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1">
            {targets.map((t) => <option key={t.number} value={t.number}>{t.title}</option>)}
          </select>
          <FieldError id={`${id}-assignment-error`} message={issues.assignment} />
        </div>
        <div>
          <label htmlFor={`${id}-size`} className="block text-sm font-medium">Input size</label>
          <select key={`size-${target.number}`} id={`${id}-size`} name="inputSize" defaultValue={target.inputSizes[0]}
            aria-invalid={issues.inputSize ? true : undefined} aria-describedby={described("inputSize", `${id}-size-hint`)}
            className="mt-1 block w-full rounded border border-slate-300 px-2 py-1">
            {target.inputSizes.map((s) => <option key={s} value={s}>{s} × {s} pixels</option>)}
          </select>
          <p id={`${id}-size-hint`} className="mt-1 text-xs text-slate-500">Every image is resized to this; a transfer recipe needs its base&apos;s size.</p>
          <FieldError id={`${id}-inputSize-error`} message={issues.inputSize} />
        </div>
        <fieldset aria-describedby={described("colour")}>
          <legend className="block text-sm font-medium">Pixels</legend>
          <div className="mt-1 flex gap-4">
            {target.channels.map((c, i) => (
              <label key={`${target.number}-${c}`} className="flex items-center gap-1.5 text-sm">
                <input type="radio" name="colour" value={c} defaultChecked={i === 0} /> {c === "colour" ? "colour (RGB)" : "grayscale"}
              </label>
            ))}
          </div>
          <FieldError id={`${id}-colour-error`} message={issues.colour} />
        </fieldset>
      </div>
      <div>
        <label htmlFor={`${id}-archive`} className="block text-sm font-medium">Zip of class folders</label>
        <input id={`${id}-archive`} name="archive" type="file" accept=".zip,application/zip"
          aria-invalid={issues.archive ? true : undefined} aria-describedby={described("archive")}
          className="mt-1 block w-full max-w-full text-sm" />
        <FieldError id={`${id}-archive-error`} message={issues.archive} />
      </div>
      {error && <p role="alert" className="text-sm text-red-700 [overflow-wrap:anywhere]">{error}</p>}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={busy}>{busy ? "Uploading…" : "Upload and check"}</Button>
        {busy && (
          <Button variant="secondary" onClick={() => xhr.current?.abort()}>Cancel</Button>
        )}
        <div role="status" aria-live="polite" className="text-sm text-slate-600">
          {phase.kind === "sending" && (
            <span className="flex items-center gap-2">
              <progress max={100} value={phase.percent} aria-label="Upload progress" className="w-32" /> Sending… {phase.percent}%
            </span>
          )}
          {phase.kind === "reading" && "Sent. Reading the images, splitting and checking for duplicates…"}
        </div>
      </div>
    </form>
  );
}
