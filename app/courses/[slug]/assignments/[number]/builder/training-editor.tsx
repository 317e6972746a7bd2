"use client";

import type { Issue } from "@/grader/errors";
import { typedValue } from "./layer-catalogue";
import { messageAt } from "./analyse-spec";

/** The training block as the form holds it (strings as typed). */
export interface TrainingDraft {
  optimizer: string;
  learningRate: string;
  epochs: string;
  batchSize: string;
  validationSplit: string;
  classWeights: "none" | "balanced";
  horizontalFlip: boolean;
  verticalFlip: boolean;
  rotationRange: string;
  widthShiftRange: string;
  heightShiftRange: string;
  zoomRange: string;
  brightnessRange: string;
  earlyStopping: boolean;
  patience: string;
}

export const DEFAULT_TRAINING: TrainingDraft = {
  optimizer: "adam",
  learningRate: "0.001",
  epochs: "5",
  batchSize: "64",
  validationSplit: "0.1",
  classWeights: "none",
  horizontalFlip: false,
  verticalFlip: false,
  rotationRange: "",
  widthShiftRange: "",
  heightShiftRange: "",
  zoomRange: "",
  brightnessRange: "",
  earlyStopping: false,
  patience: "2",
};

const AUGMENTATION_RANGES = ["rotationRange", "widthShiftRange", "heightShiftRange", "zoomRange", "brightnessRange"] as const;

/** The spec's `training` object (empty fields left out so the grader's defaults apply). */
export function trainingFromDraft(d: TrainingDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { optimizer: d.optimizer };
  for (const k of ["learningRate", "epochs", "batchSize", "validationSplit"] as const) {
    const v = typedValue(d[k]);
    if (v !== undefined) out[k] = v;
  }
  out.classWeights = d.classWeights;
  const aug: Record<string, unknown> = {};
  if (d.horizontalFlip) aug.horizontalFlip = true;
  if (d.verticalFlip) aug.verticalFlip = true;
  for (const k of AUGMENTATION_RANGES) {
    const v = typedValue(d[k]);
    if (v !== undefined) aug[k] = v;
  }
  if (Object.keys(aug).length) out.augmentation = aug;
  if (d.earlyStopping) out.earlyStopping = { monitor: "valLoss", patience: typedValue(d.patience) ?? 2 };
  return out;
}

/** The draft for a stored training block ("submit again from this one"). */
export function draftFromTraining(t: Record<string, unknown> | undefined): TrainingDraft {
  if (!t) return DEFAULT_TRAINING;
  const s = (v: unknown, fallback = "") => (typeof v === "number" || typeof v === "string" ? String(v) : fallback);
  const aug = (t.augmentation ?? {}) as Record<string, unknown>;
  const es = t.earlyStopping as Record<string, unknown> | undefined;
  return {
    optimizer: s(t.optimizer, "adam"),
    learningRate: s(t.learningRate),
    epochs: s(t.epochs),
    batchSize: s(t.batchSize),
    validationSplit: s(t.validationSplit),
    classWeights: t.classWeights === "balanced" ? "balanced" : "none",
    horizontalFlip: aug.horizontalFlip === true,
    verticalFlip: aug.verticalFlip === true,
    rotationRange: s(aug.rotationRange),
    widthShiftRange: s(aug.widthShiftRange),
    heightShiftRange: s(aug.heightShiftRange),
    zoomRange: s(aug.zoomRange),
    brightnessRange: s(aug.brightnessRange),
    earlyStopping: Boolean(es),
    patience: s(es?.patience, "2"),
  };
}

function NumberField(props: { label: string; path: string; value: string; issues: Issue[]; onChange: (v: string) => void; placeholder?: string }) {
  const err = messageAt(props.issues, props.path, true);
  const id = `field-${props.path}`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm text-slate-700">{props.label}</label>
      <input
        id={id}
        value={props.value}
        placeholder={props.placeholder}
        inputMode="decimal"
        aria-invalid={err ? true : undefined}
        aria-describedby={err ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
        className={`mt-1 w-28 rounded border px-2 py-1 text-sm ${err ? "border-red-500" : "border-slate-300"}`}
      />
      {err && <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700">{err}</p>}
    </div>
  );
}

/**
 * Training settings: optimizer, learning rate, epochs, batch size, validation split, class weights,
 * augmentation and early stopping. Problems appear under the field they concern (`training.*`).
 */
export function TrainingEditor({ value, onChange, issues, title = "Training" }: { value: TrainingDraft; onChange: (d: TrainingDraft) => void; issues: Issue[]; title?: string }) {
  const set = <K extends keyof TrainingDraft>(k: K, v: TrainingDraft[K]) => onChange({ ...value, [k]: v });
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      <div className="flex flex-wrap gap-4">
        <div>
          <label htmlFor="field-training.optimizer" className="block text-sm text-slate-700">Optimizer</label>
          <select id="field-training.optimizer" value={value.optimizer} onChange={(e) => set("optimizer", e.target.value)} className="mt-1 rounded border border-slate-300 px-2 py-1 text-sm">
            <option value="adam">Adam</option>
            <option value="sgd">SGD</option>
            <option value="momentum">SGD with momentum</option>
            <option value="rmsprop">RMSprop</option>
          </select>
        </div>
        <NumberField label="Learning rate" path="training.learningRate" value={value.learningRate} issues={issues} onChange={(v) => set("learningRate", v)} placeholder="0.001" />
        <NumberField label="Epochs" path="training.epochs" value={value.epochs} issues={issues} onChange={(v) => set("epochs", v)} />
        <NumberField label="Batch size" path="training.batchSize" value={value.batchSize} issues={issues} onChange={(v) => set("batchSize", v)} placeholder="32" />
        <NumberField label="Validation split" path="training.validationSplit" value={value.validationSplit} issues={issues} onChange={(v) => set("validationSplit", v)} placeholder="0.1" />
        <div>
          <label htmlFor="field-training.classWeights" className="block text-sm text-slate-700">Class weights</label>
          <select id="field-training.classWeights" value={value.classWeights} onChange={(e) => set("classWeights", e.target.value as TrainingDraft["classWeights"])} className="mt-1 rounded border border-slate-300 px-2 py-1 text-sm">
            <option value="none">none</option>
            <option value="balanced">balanced (for imbalanced classes)</option>
          </select>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex items-center gap-1 text-sm"><input type="checkbox" checked={value.horizontalFlip} onChange={(e) => set("horizontalFlip", e.target.checked)} /> horizontal flip</label>
        <label className="flex items-center gap-1 text-sm"><input type="checkbox" checked={value.verticalFlip} onChange={(e) => set("verticalFlip", e.target.checked)} /> vertical flip</label>
        <NumberField label="Rotation (°)" path="training.augmentation.rotationRange" value={value.rotationRange} issues={issues} onChange={(v) => set("rotationRange", v)} placeholder="0" />
        <NumberField label="Width shift" path="training.augmentation.widthShiftRange" value={value.widthShiftRange} issues={issues} onChange={(v) => set("widthShiftRange", v)} placeholder="0" />
        <NumberField label="Height shift" path="training.augmentation.heightShiftRange" value={value.heightShiftRange} issues={issues} onChange={(v) => set("heightShiftRange", v)} placeholder="0" />
        <NumberField label="Zoom" path="training.augmentation.zoomRange" value={value.zoomRange} issues={issues} onChange={(v) => set("zoomRange", v)} placeholder="0" />
        <NumberField label="Brightness" path="training.augmentation.brightnessRange" value={value.brightnessRange} issues={issues} onChange={(v) => set("brightnessRange", v)} placeholder="0" />
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex items-center gap-1 text-sm"><input type="checkbox" checked={value.earlyStopping} onChange={(e) => set("earlyStopping", e.target.checked)} /> early stopping on validation loss</label>
        {value.earlyStopping && <NumberField label="Patience (epochs)" path="training.earlyStopping.patience" value={value.patience} issues={issues} onChange={(v) => set("patience", v)} />}
      </div>
      {messageAt(issues, "training") && <p role="alert" className="text-sm text-red-700">{messageAt(issues, "training")}</p>}
    </fieldset>
  );
}
