"use client";

import { useState } from "react";
import { LAYER_TYPES, activationSchema, type LayerType } from "@/grader/spec/schema";
import type { Issue } from "@/grader/errors";
import { LAYER_FIELDS, LAYER_LABELS, newLayer, type LayerDraft } from "./layer-catalogue";
import { messageAt } from "./analyse-spec";

const inputClass = "w-20 rounded border border-slate-300 px-1.5 py-0.5 text-sm";

/**
 * An ordered list of layers to edit: add from the allow-list, change parameters, move, remove. Each
 * problem the grader finds is shown on the row (and field) it concerns, using `pathPrefix`
 * (`layers` for a CNN, `head` for a transfer head) to match the spec's issue paths.
 */
export function LayerEditor(props: {
  layers: LayerDraft[];
  onChange: (layers: LayerDraft[]) => void;
  issues: Issue[];
  pathPrefix: "layers" | "head";
  classes: number;
}) {
  const [adding, setAdding] = useState<LayerType>("conv2d");
  const { layers, onChange, issues, pathPrefix } = props;
  const update = (i: number, key: string, value: string | boolean) =>
    onChange(layers.map((l, j) => (j === i ? { ...l, [key]: value } : l)));
  const move = (i: number, by: number) => {
    const next = [...layers];
    const [l] = next.splice(i, 1);
    next.splice(i + by, 0, l!);
    onChange(next);
  };
  return (
    <div className="space-y-2">
      <ol className="space-y-2" data-testid={`${pathPrefix}-editor`}>
        {layers.length === 0 && <li className="text-sm text-slate-500">No layers yet: add the first one below.</li>}
        {layers.map((l, i) => {
          const rowPath = `${pathPrefix}.${i}`;
          const rowError = messageAt(issues, rowPath);
          return (
            <li key={i} data-testid={`layer-row-${i}`} className="rounded-md border border-slate-200 p-2">
              <div className="flex flex-wrap items-center gap-2">
                <span className="w-6 text-right text-sm text-slate-400">{i + 1}</span>
                <span className="w-44 font-medium">{LAYER_LABELS[l.type]}</span>
                {LAYER_FIELDS[l.type].map((f) => {
                  const id = `${rowPath}.${f.key}`;
                  const value = l[f.key];
                  const err = messageAt(issues, id, true);
                  return (
                    <label key={f.key} className="flex items-center gap-1 text-sm">
                      <span className="text-slate-600">{f.label}</span>
                      {f.kind === "activation" ? (
                        <select aria-label={`${f.label} of layer ${i + 1}`} value={String(value ?? "linear")} onChange={(e) => update(i, f.key, e.target.value)} className={inputClass + " w-24"}>
                          {activationSchema.options.map((a) => <option key={a}>{a}</option>)}
                        </select>
                      ) : f.kind === "padding" ? (
                        <select aria-label={`${f.label} of layer ${i + 1}`} value={String(value ?? "valid")} onChange={(e) => update(i, f.key, e.target.value)} className={inputClass}>
                          <option>valid</option>
                          <option>same</option>
                        </select>
                      ) : (
                        <input
                          aria-label={`${f.label} of layer ${i + 1}`}
                          aria-invalid={err ? true : undefined}
                          value={typeof value === "string" ? value : ""}
                          placeholder={f.placeholder}
                          inputMode={f.kind === "int" ? "numeric" : "decimal"}
                          onChange={(e) => update(i, f.key, e.target.value)}
                          className={`${inputClass} ${err ? "border-red-500" : ""}`}
                        />
                      )}
                    </label>
                  );
                })}
                <span className="ml-auto flex gap-1 text-sm">
                  <button type="button" aria-label={`Move layer ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)} className="px-1 disabled:opacity-30">↑</button>
                  <button type="button" aria-label={`Move layer ${i + 1} down`} disabled={i === layers.length - 1} onClick={() => move(i, 1)} className="px-1 disabled:opacity-30">↓</button>
                  <button type="button" aria-label={`Remove layer ${i + 1}`} onClick={() => onChange(layers.filter((_, j) => j !== i))} className="px-1 text-red-700">✕</button>
                </span>
              </div>
              {rowError || messageAt(issues, rowPath, true) ? (
                <p role="alert" className="mt-1 text-sm text-red-700" data-testid={`layer-error-${i}`}>
                  {rowError ?? messageAt(issues, rowPath, true)}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <div className="flex items-center gap-2">
        <label className="text-sm">
          Add layer{" "}
          <select aria-label="Layer type to add" value={adding} onChange={(e) => setAdding(e.target.value as LayerType)} className="rounded border border-slate-300 px-1.5 py-0.5 text-sm">
            {LAYER_TYPES.map((t) => <option key={t} value={t}>{LAYER_LABELS[t]}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => onChange([...layers, newLayer(adding, props.classes)])} className="rounded bg-slate-800 px-2 py-0.5 text-sm text-white">
          Add
        </button>
      </div>
    </div>
  );
}
