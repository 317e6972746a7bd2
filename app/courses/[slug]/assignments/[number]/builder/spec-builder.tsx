"use client";

import { useEffect, useMemo, useState } from "react";
import type { BaseSummary } from "@/grader/registry/base-summary";
import type { BuilderKind } from "@/grader/contracts/submission-status";
import type { Issue } from "@/grader/errors";
import { formatCount } from "@/grader/spec/check-budget";
import { messageAt, type AssignmentLimits } from "./analyse-spec";
import { AnalysisTable } from "./analysis-table";
import { draftFromLayer, layerFromDraft, type LayerDraft } from "./layer-catalogue";
import { LayerEditor } from "./layer-editor";
import { DEFAULT_TRAINING, draftFromTraining, TrainingEditor, trainingFromDraft, type TrainingDraft } from "./training-editor";
import { typedValue } from "./layer-catalogue";
import { useLiveAnalysis } from "./use-live-analysis";

interface FineTuneDraft {
  enabled: boolean;
  unfreezeLast: string;
  epochs: string;
  learningRate: string;
}

/** A stored spec to start from ("submit again from this one"), as plain JSON. */
export type StartingSpec = Record<string, unknown> | null;

function initialLayers(start: StartingSpec, key: "layers" | "head"): LayerDraft[] {
  const raw = start?.[key];
  return Array.isArray(raw) ? raw.map((l) => draftFromLayer(l as Record<string, unknown>)).filter((d): d is LayerDraft => d !== null) : [];
}

const problems = (n: number): string => `${n} problem${n === 1 ? "" : "s"}`;

/** Why the builder's spec cannot be submitted yet, in words (null when it can). */
export function blockedReason(issues: number, budget: number, analysed: boolean): string | null {
  if (issues > 0) return `Submit is off until the spec is valid: fix the ${problems(issues)} listed under "Layer table and budget".`;
  if (budget > 0) return `Submit is off until the spec fits this assignment: ${problems(budget)} listed under "Layer table and budget".`;
  if (!analysed) return "Submit is off until the check has run.";
  return null;
}

/**
 * The live builder for a custom CNN or a transfer recipe. As the student edits, the grader's own
 * validation, shape analysis and budget check run in the browser and show the layer table, the
 * totals and every problem next to the field it concerns; the server re-checks the same spec on
 * submit (`serverIssues` are its answer, shown the same way).
 */
export function SpecBuilder(props: {
  kind: BuilderKind;
  assignment: AssignmentLimits;
  bases: BaseSummary[];
  start: StartingSpec;
  serverIssues: Issue[];
  /** Told why the spec cannot be submitted yet (null once it can), so the form can hold its Submit button. */
  onBlocked?: (reason: string | null) => void;
}) {
  const { assignment, bases, kind } = props;
  const start = props.start?.kind === kind ? props.start : null;
  const [name, setName] = useState(typeof start?.name === "string" ? start.name : "");
  const [layers, setLayers] = useState<LayerDraft[]>(() => initialLayers(start, "layers"));
  const [head, setHead] = useState<LayerDraft[]>(() =>
    start ? initialLayers(start, "head") : [{ type: "globalAveragePooling2d" }, { type: "dense", units: String(assignment.classes.length), activation: "softmax" }],
  );
  const [base, setBase] = useState(typeof start?.base === "string" ? start.base : (bases[0]?.name ?? ""));
  const [training, setTraining] = useState<TrainingDraft>(() => (start ? draftFromTraining(start.training as Record<string, unknown>) : DEFAULT_TRAINING));
  const startFineTune = start?.fineTune as Record<string, unknown> | undefined;
  const [fineTune, setFineTune] = useState<FineTuneDraft>({
    enabled: kind === "transfer" && (startFineTune !== undefined || !start),
    unfreezeLast: String(startFineTune?.unfreezeLast ?? 2),
    epochs: String(startFineTune?.epochs ?? 2),
    learningRate: String(startFineTune?.learningRate ?? 0.0001),
  });
  const [edited, setEdited] = useState(false);
  const touch = <T,>(set: (v: T) => void) => (v: T) => {
    setEdited(true);
    set(v);
  };

  const spec = useMemo(() => {
    const common = { ...(name.trim() ? { name: name.trim() } : {}), training: trainingFromDraft(training) };
    if (kind === "cnn") return { kind, ...common, layers: layers.map(layerFromDraft) };
    return {
      kind,
      ...common,
      base,
      head: head.map(layerFromDraft),
      ...(fineTune.enabled
        ? { fineTune: { unfreezeLast: typedValue(fineTune.unfreezeLast), epochs: typedValue(fineTune.epochs), learningRate: typedValue(fineTune.learningRate) } }
        : {}),
    };
  }, [kind, name, training, layers, base, head, fineTune]);

  // Analysed off the main thread, under a time limit, so no draft can freeze the tab.
  const live = useLiveAnalysis(spec, assignment, bases);
  // The server's answer stays on screen until the student changes something (minus what the live check already says).
  const known = [...live.issues, ...live.budget];
  const serverOnly = edited ? [] : props.serverIssues.filter((i) => !known.some((k) => k.path === i.path && k.message === i.message));
  const issues = [...known, ...serverOnly];
  const chosenBase = bases.find((b) => b.name === base);
  const reason = blockedReason(live.issues.length, live.budget.length, live.analysis !== null);
  const { onBlocked } = props;
  useEffect(() => onBlocked?.(reason), [onBlocked, reason]);

  return (
    <div className="space-y-4" data-testid={`${kind}-builder`}>
      <input type="hidden" name="spec" value={JSON.stringify(spec)} />
      <div>
        <label htmlFor={`${kind}-name`} className="block text-sm text-slate-700">Name (optional)</label>
        <input id={`${kind}-name`} value={name} maxLength={100} onChange={(e) => touch(setName)(e.target.value)} className="mt-1 w-80 rounded border border-slate-300 px-2 py-1 text-sm" />
      </div>
      {kind === "cnn" ? (
        <section>
          <h3 className="font-semibold">Layers</h3>
          <p className="mb-2 text-sm text-slate-600">
            Input: [{assignment.inputShape.join(", ")}] images; the last layer must be Dense with {assignment.classes.length} units and softmax.
          </p>
          <LayerEditor layers={layers} onChange={touch(setLayers)} issues={issues} pathPrefix="layers" classes={assignment.classes.length} />
          {messageAt(issues, "layers") && <p role="alert" className="mt-1 text-sm text-red-700">{messageAt(issues, "layers")}</p>}
        </section>
      ) : (
        <section className="space-y-3">
          <div>
            <label htmlFor="transfer-base" className="block text-sm font-semibold">Pretrained base (frozen while the head trains)</label>
            {bases.length === 0 ? (
              <p className="text-sm text-amber-700">No pretrained base is registered on this server yet; ask your instructor, or build a CNN instead.</p>
            ) : (
              <select id="transfer-base" value={base} onChange={(e) => touch(setBase)(e.target.value)} className="mt-1 rounded border border-slate-300 px-2 py-1 text-sm">
                {bases.map((b) => <option key={b.name} value={b.name}>{b.name} — {formatCount(b.totalParams)} parameters</option>)}
              </select>
            )}
            {chosenBase && <p className="mt-1 text-sm text-slate-600">{chosenBase.description} · output [{chosenBase.outputShape.join(", ")}] · {chosenBase.layers.length} layers</p>}
            {messageAt(issues, "base") && <p role="alert" className="mt-1 text-sm text-red-700">{messageAt(issues, "base")}</p>}
          </div>
          <div>
            <h3 className="font-semibold">Head layers</h3>
            <LayerEditor layers={head} onChange={touch(setHead)} issues={issues} pathPrefix="head" classes={assignment.classes.length} />
            {messageAt(issues, "head") && <p role="alert" className="mt-1 text-sm text-red-700">{messageAt(issues, "head")}</p>}
          </div>
        </section>
      )}
      <TrainingEditor value={training} onChange={touch(setTraining)} issues={issues} title={kind === "transfer" ? "Phase 1: train the head" : "Training"} />
      {kind === "transfer" && (
        <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-semibold">Phase 2: fine-tune</legend>
          <label className="flex items-center gap-1 text-sm">
            <input type="checkbox" checked={fineTune.enabled} onChange={(e) => touch(setFineTune)({ ...fineTune, enabled: e.target.checked })} /> unfreeze the last base layers and train on at a lower learning rate
          </label>
          {fineTune.enabled && (
            <div className="flex flex-wrap gap-4">
              {(["unfreezeLast", "epochs", "learningRate"] as const).map((k) => {
                const err = messageAt(issues, `fineTune.${k}`, true);
                return (
                  <div key={k}>
                    <label htmlFor={`field-fineTune.${k}`} className="block text-sm text-slate-700">
                      {k === "unfreezeLast" ? "Unfreeze last N layers" : k === "epochs" ? "Epochs" : "Learning rate"}
                    </label>
                    <input id={`field-fineTune.${k}`} value={fineTune[k]} onChange={(e) => touch(setFineTune)({ ...fineTune, [k]: e.target.value })} className={`mt-1 w-28 rounded border px-2 py-1 text-sm ${err ? "border-red-500" : "border-slate-300"}`} />
                    {err && <p role="alert" className="mt-1 text-sm text-red-700">{err}</p>}
                  </div>
                );
              })}
            </div>
          )}
        </fieldset>
      )}
      <section>
        <h3 className="font-semibold">Layer table and budget</h3>
        <AnalysisTable live={{ ...live, issues: [...live.issues, ...serverOnly] }} assignment={assignment} />
      </section>
    </div>
  );
}
