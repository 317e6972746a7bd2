"use client";

import { useEffect, useState, type TextareaHTMLAttributes } from "react";
import type { Issue } from "@/grader/errors";
import { cn } from "@/app/_components/ui/cn";
import type { BuilderPreset } from "./presets";

// The pieces the two forms that start a run share: the assignment's submit form and a dataset's practice-run form.

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

/**
 * One key per showing of the form, sent with the submit: a double click or a resent request is the same submission on
 * the server. Made after mount (the server render would make another one and the hidden field would not hydrate), so
 * coming back to the page also brings a new key. The second value makes a new key, once the server has answered.
 */
export function useSubmitKey(): [string | null, () => void] {
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => setKey(newSubmitKey()), []);
  return [key, () => setKey(newSubmitKey())];
}

export type RunPostAnswer = { ok: true; id: string } | { ok: false; error: string; issues: Issue[] };

/**
 * Posts a run's form to its route. 201 is a new submission; 200 means this key's submit had already been received, and
 * names that submission. Anything else is a refusal with the server's message and field issues. Throws when the
 * request could not be sent.
 */
export async function postRun(url: string, data: FormData): Promise<RunPostAnswer> {
  const res = await fetch(url, { method: "POST", body: data });
  const body = (await res.json().catch(() => ({}))) as { id?: string; error?: string; issues?: Issue[] };
  if ((res.status === 201 || res.status === 200) && body.id) return { ok: true, id: body.id };
  return { ok: false, error: body.error ?? `The server answered ${res.status}.`, issues: body.issues ?? [] };
}

/** The row of tabs that picks how the model is given. */
export function ModeTabs<M extends string>({ label, tabs, mode, onChoose }: { label: string; tabs: { mode: M; label: string }[]; mode: M; onChoose: (mode: M) => void }) {
  return (
    <div role="tablist" aria-label={label} className="flex flex-wrap gap-1 border-b border-slate-200">
      {tabs.map((t) => (
        <button
          key={t.mode}
          type="button"
          role="tab"
          aria-selected={mode === t.mode}
          onClick={() => onChoose(t.mode)}
          className={`rounded-t-md px-3 py-1.5 text-sm ${mode === t.mode ? "bg-white font-semibold text-brand-700 ring-1 ring-slate-200" : "text-slate-600"}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** "Start from": one toggle button a preset the builder can open with. */
export function PresetPicker({ presets, chosenId, onChoose, testId }: { presets: BuilderPreset[]; chosenId: string; onChoose: (preset: BuilderPreset) => void; testId: string }) {
  return (
    <fieldset className="flex flex-wrap items-center gap-2" data-testid={testId}>
      <legend className="mb-1 text-sm font-semibold">Start from</legend>
      {presets.map((p) => (
        <button
          key={p.id}
          type="button"
          aria-pressed={chosenId === p.id}
          onClick={() => onChoose(p)}
          className={`rounded-md border px-2.5 py-1 text-sm ${chosenId === p.id ? "border-brand-600 bg-brand-50 font-medium text-brand-700" : "border-slate-300 bg-white text-slate-700"}`}
        >
          {p.label}
        </button>
      ))}
    </fieldset>
  );
}

/** A monospace box for a spec, a Keras topology or a training block; `onEdit` gets the text as it is typed. */
export function CodeArea({ onEdit, invalid, className, ...rest }: { onEdit?: (text: string) => void; invalid?: boolean } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "onChange" | "aria-invalid">) {
  return (
    <textarea
      {...rest}
      onChange={onEdit ? (e) => onEdit(e.target.value) : undefined}
      aria-invalid={invalid ? true : undefined}
      className={cn("mt-1 block w-full rounded border border-slate-300 p-2 font-mono text-sm", className)}
    />
  );
}
