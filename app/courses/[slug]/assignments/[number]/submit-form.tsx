"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import type { BaseSummary } from "@/grader/registry/base-summary";
import type { Issue } from "@/grader/errors";
import type { AssignmentLimits } from "./builder/analyse-spec";
import { messageAt } from "./builder/analyse-spec";
import { SpecBuilder, type StartingSpec } from "./builder/spec-builder";

type Mode = "cnn" | "transfer" | "spec" | "keras" | "model";

const TABS: { mode: Mode; label: string }[] = [
  { mode: "cnn", label: "Build a CNN" },
  { mode: "transfer", label: "Build a transfer recipe" },
  { mode: "spec", label: "Paste or upload a spec" },
  { mode: "keras", label: "Keras model.to_json()" },
  { mode: "model", label: "Trained TF.js model" },
];

/** The form field a server issue belongs to, in the paste/upload modes (spec paths all belong to the text). */
function fieldError(issues: Issue[], field: string): string | undefined {
  return messageAt(issues, field, true);
}

/**
 * A fresh key for one submit. `crypto.randomUUID` exists only on secure origins (https, localhost),
 * so elsewhere the same version-4 UUID is made from `getRandomValues`, which exists everywhere.
 */
function newSubmitKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function FieldError({ message, id }: { message?: string; id: string }) {
  return message ? <p id={id} role="alert" className="mt-1 text-sm text-red-700">{message}</p> : null;
}

/**
 * The three ways in — the builder (CNN or transfer), a pasted/uploaded spec or Keras topology, or a
 * trained model for evaluate mode — plus an optional written report. Submits to the one route
 * handler; its field errors come back with the same messages the live builder shows.
 */
export function SubmitForm(props: {
  /** Where the form posts: the assignment's submissions API. */
  submitUrl: string;
  assignment: AssignmentLimits;
  bases: BaseSummary[];
  start: StartingSpec;
  startText: string | null;
  disabledReason: string | null;
}) {
  const router = useRouter();
  // "Submit again from this one": the builder for CNN and transfer specs, the text editor for anything else.
  const initialMode: Mode =
    props.start?.kind === "transfer" ? "transfer" : props.start?.kind === "cnn" ? "cnn" : props.startText ? "spec" : "cnn";
  const [mode, setMode] = useState<Mode>(initialMode);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per showing of the form, sent with the submit: a double click or a resent request is
  // the same submission on the server. Made after mount (the server render would make another one
  // and the hidden field would not hydrate), so coming back to the page also brings a new key.
  const [submitKey, setSubmitKey] = useState<string | null>(null);
  useEffect(() => setSubmitKey(newSubmitKey()), []);

  async function submit(form: HTMLFormElement) {
    setBusy(true);
    setError(null);
    setIssues([]);
    try {
      const data = new FormData(form);
      data.set("mode", mode === "cnn" || mode === "transfer" ? "builder" : mode);
      const res = await fetch(props.submitUrl, { method: "POST", body: data });
      const body = (await res.json().catch(() => ({}))) as { id?: string; error?: string; issues?: Issue[] };
      // The server has answered this submit: whatever is submitted next is a new submission. (After
      // a lost connection the key stays, so sending again cannot make a second submission.)
      setSubmitKey(newSubmitKey());
      // 201: created; 200: this submit had already been received (same key), and that submission is shown.
      if ((res.status === 201 || res.status === 200) && body.id) {
        router.push(`/submissions/${body.id}`);
        return;
      }
      setError(body.error ?? `The server answered ${res.status}.`);
      setIssues(body.issues ?? []);
      router.refresh(); // a rejected spec now appears in the history
    } catch {
      setError("The submission could not be sent; check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const specIssues = mode === "spec" ? issues : [];
  return (
    <form
      aria-label="Submit"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e.currentTarget);
      }}
    >
      {submitKey && <input type="hidden" name="idempotencyKey" value={submitKey} readOnly />}
      <div role="tablist" aria-label="How to submit" className="flex flex-wrap gap-1 border-b border-slate-200">
        {TABS.map((t) => (
          <button
            key={t.mode}
            type="button"
            role="tab"
            aria-selected={mode === t.mode}
            onClick={() => {
              setMode(t.mode);
              setIssues([]);
              setError(null);
            }}
            className={`rounded-t-md px-3 py-1.5 text-sm ${mode === t.mode ? "bg-white font-semibold text-brand-700 ring-1 ring-slate-200" : "text-slate-600"}`}
          >
            {t.label}
          </button>
        ))}
      </div>

      {(mode === "cnn" || mode === "transfer") && (
        <SpecBuilder key={mode} kind={mode} assignment={props.assignment} bases={props.bases} start={props.start} serverIssues={issues} />
      )}

      {mode === "spec" && (
        <div className="space-y-3">
          <div>
            <label htmlFor="spec-text" className="block text-sm font-semibold">Spec (JSON or YAML)</label>
            <textarea
              id="spec-text"
              name="spec"
              rows={14}
              defaultValue={props.startText ?? ""}
              aria-invalid={specIssues.length ? true : undefined}
              aria-describedby="spec-error"
              placeholder={"kind: cnn\nlayers:\n  - { type: conv2d, filters: 32, kernelSize: 3, activation: relu }\n  ..."}
              className="mt-1 block w-full rounded border border-slate-300 p-2 font-mono text-sm"
            />
            {specIssues.length > 0 && (
              <ul id="spec-error" role="alert" className="mt-1 list-disc pl-5 text-sm text-red-700" data-testid="spec-errors">
                {specIssues.map((i, k) => <li key={k}>{i.path ? <code className="mr-1">{i.path}</code> : null}{i.message}</li>)}
              </ul>
            )}
          </div>
          <div>
            <label htmlFor="spec-file" className="block text-sm">…or upload a .json / .yaml spec file</label>
            <input id="spec-file" name="specFile" type="file" accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" className="mt-1 text-sm" />
            <FieldError id="spec-file-error" message={fieldError(issues, "specFile")} />
          </div>
        </div>
      )}

      {mode === "keras" && (
        <div className="space-y-3">
          <div>
            <label htmlFor="keras-file" className="block text-sm font-semibold">Keras topology: the JSON that model.to_json() wrote</label>
            <input id="keras-file" name="kerasFile" type="file" accept=".json,application/json" className="mt-1 text-sm" />
            <FieldError id="keras-file-error" message={fieldError(issues, "kerasFile") ?? fieldError(issues, "model")} />
          </div>
          <div>
            <label htmlFor="keras-training" className="block text-sm font-semibold">Training block (YAML or JSON)</label>
            <textarea id="keras-training" name="training" rows={6} defaultValue={"optimizer: adam\nlearningRate: 0.001\nepochs: 5\nbatchSize: 64\n"} className="mt-1 block w-full rounded border border-slate-300 p-2 font-mono text-sm" />
            <FieldError id="keras-training-error" message={fieldError(issues, "training")} />
          </div>
          <div>
            <label htmlFor="keras-name" className="block text-sm">Name (optional)</label>
            <input id="keras-name" name="name" maxLength={100} className="mt-1 w-80 rounded border border-slate-300 px-2 py-1 text-sm" />
          </div>
        </div>
      )}

      {mode === "model" && (
        <div>
          <label htmlFor="model-file" className="block text-sm font-semibold">Trained model: a .zip of model.json and its weight files (evaluate mode)</label>
          <p className="text-sm text-slate-600">The grader only runs it on the held-out set; it must take [{props.assignment.inputShape.join(", ")}] images scaled to 0–1 and output {props.assignment.classes.length} probabilities.</p>
          <input id="model-file" name="model" type="file" accept=".zip,application/zip" className="mt-1 text-sm" />
          <FieldError id="model-file-error" message={fieldError(issues, "model")} />
        </div>
      )}

      <div className="rounded-md border border-slate-200 p-3">
        <label htmlFor="report-file" className="block text-sm font-semibold">Written report (optional): Markdown or PDF</label>
        <input id="report-file" name="report" type="file" accept=".md,.markdown,.pdf,text/markdown,application/pdf" className="mt-1 text-sm" />
        <FieldError id="report-file-error" message={fieldError(issues, "report")} />
      </div>

      {error && (
        <p role="alert" data-testid="submit-error" className="rounded-md bg-red-50 p-3 text-sm text-red-800">{error}</p>
      )}
      <button type="submit" disabled={busy || props.disabledReason !== null} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white disabled:opacity-50">
        {busy ? "Submitting…" : "Submit for grading"}
      </button>
      {props.disabledReason && <p className="text-sm text-slate-600">{props.disabledReason}</p>}
    </form>
  );
}
