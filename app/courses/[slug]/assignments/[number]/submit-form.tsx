"use client";

import { useCallback, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import type { BaseSummary } from "@/grader/registry/base-summary";
import type { Issue } from "@/grader/errors";
import { KERAS_ALLOWED, looksLikeKerasTopology } from "@/grader/spec/keras-import";
import { parseUserYaml } from "@/grader/spec/read-yaml";
import type { AssignmentLimits } from "./builder/analyse-spec";
import { messageAt } from "./builder/analyse-spec";
import { EMPTY_CNN_PRESET, type BuilderPreset } from "./builder/presets";
import { SpecBuilder, type StartingSpec } from "./builder/spec-builder";
import { useLiveAnalysis } from "./builder/use-live-analysis";
import { specForClasses } from "@/grader/spec/spec-for-classes";
import { CodeArea, ModeTabs, PresetPicker, postRun, useSubmitKey } from "./builder/run-form-parts";

/** One of the student's own datasets a `datasets: student` assignment can be submitted on (built on the server). */
export interface DatasetChoice {
  id: string;
  name: string;
  classes: string[];
  inputShape: [number, number, 1 | 3];
  imageCount: number;
}

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

function FieldError({ message, id }: { message?: string; id: string }) {
  return message ? <p id={id} role="alert" className="mt-1 text-sm text-red-700">{message}</p> : null;
}

/** Longest pasted text the form tries to recognise as a Keras topology (the server's limit for a spec). */
const MAX_DETECT_CHARS = 1024 * 1024;

/** True when pasted text is a Keras `model.to_json()` or a TF.js model.json rather than a spec. */
function isKerasText(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith("{") || t.length > MAX_DETECT_CHARS) return false;
  try {
    return looksLikeKerasTopology(JSON.parse(t));
  } catch {
    return false;
  }
}

const KERAS_LAYERS = KERAS_ALLOWED.filter((c) => c !== "InputLayer");

const SPEC_PLACEHOLDER = "kind: cnn\nlayers:\n  - { type: conv2d, filters: 32, kernelSize: 3, activation: relu }\n  ...";
const KERAS_PLACEHOLDER = '{"class_name": "Sequential", "config": {"layers": [...]}}';

/** The server's refusal in one line; its problems are listed once, beside what they concern. */
function refusalHeadline(n: number, mode: Mode): string {
  const where = mode === "cnn" || mode === "transfer" ? 'under "Layer table and budget"' : mode === "keras" ? "under the topology" : "under the spec";
  return `The server refused this submission: ${n} problem${n === 1 ? "" : "s"} to fix, listed ${where}.`;
}

function IssueList({ issues, id, testId }: { issues: Issue[]; id: string; testId: string }) {
  if (!issues.length) return null;
  return (
    <ul id={id} className="mt-1 list-disc pl-5 text-sm text-red-700" data-testid={testId}>
      {issues.map((i, k) => <li key={k}>{i.path ? <code className="mr-1">{i.path}</code> : null}{i.message}</li>)}
    </ul>
  );
}

/** Longest training block read in the page (the server's own limit for it). */
const MAX_TRAINING_CHARS = 64 * 1024;

/** The Keras tab's spec as the server will assemble it: the pasted topology and the training block. */
function kerasDraft(topology: string, training: string): Record<string, unknown> | null {
  if (!topology.trim()) return null;
  const yaml = training.length <= MAX_TRAINING_CHARS ? parseUserYaml(training) : null;
  return { kind: "keras", model: topology, training: yaml?.ok ? yaml.value : training };
}

/**
 * The same check the builder runs (in its Web Worker, under its time limit), for pasted text: every problem is listed
 * as the student types, and after a refused submit the server's answer (the same messages) until the next edit.
 */
function TextCheck(props: {
  draft: unknown;
  serverIssues: Issue[];
  assignment: AssignmentLimits;
  bases: BaseSummary[];
  id: string;
  testId: string;
}) {
  const live = useLiveAnalysis(props.draft, props.assignment, props.bases);
  if (props.serverIssues.length) return <IssueList id={props.id} issues={props.serverIssues} testId={props.testId} />;
  if (props.draft === null) return null;
  const found = [...live.issues, ...live.budget];
  if (found.length) return <IssueList id={props.id} issues={found} testId={props.testId} />;
  return live.analysis ? <p id={props.id} className="mt-1 text-sm text-green-700" data-testid={`${props.testId}-none`}>Checked in this page: it fits the assignment.</p> : null;
}

/**
 * The three ways in — the builder (CNN or transfer, started from a preset), a pasted/uploaded spec or Keras topology,
 * or a trained model for evaluate mode — plus an optional written report. Submits to the one route handler; its field
 * errors come back with the same messages the live builder shows. While the builder's own check finds a problem,
 * Submit is off (aria-disabled, so it stays focusable) and the reason is written next to it.
 */
export function SubmitForm(props: {
  /** Where the form posts: the assignment's submissions API. */
  submitUrl: string;
  assignment: AssignmentLimits;
  bases: BaseSummary[];
  /** "Submit again from this one": the spec to open in the builder, if it is a CNN or transfer recipe. */
  start: StartingSpec;
  startText: string | null;
  /** What the builder can start from (reference specs, the last submission, empty). */
  presets: BuilderPreset[];
  disabledReason: string | null;
  /**
   * `datasets: student` assignments: the student's own datasets for this assignment (possibly none). A submission
   * names one; the builder and the text checks then take its classes and input size. Undefined: the instructor's data.
   */
  datasets?: DatasetChoice[];
  /** Where the student uploads a dataset ("My datasets"), linked when they have none. */
  datasetsUrl?: string;
}) {
  const router = useRouter();
  const [datasetId, setDatasetId] = useState<string | null>(props.datasets?.[0]?.id ?? null);
  const chosen = props.datasets?.find((d) => d.id === datasetId) ?? null;
  // On a student's dataset every check is against its classes and size; the presets get one output per class.
  const limits: AssignmentLimits = chosen ? { ...props.assignment, classes: chosen.classes, inputShape: chosen.inputShape } : props.assignment;
  const sized = (p: BuilderPreset): BuilderPreset => (chosen && p.spec ? { ...p, spec: specForClasses(p.spec, chosen.classes.length) ?? p.spec } : p);
  const presets = (props.presets.length ? props.presets : [EMPTY_CNN_PRESET]).map(sized);
  const fromKind = props.start?.kind === "cnn" || props.start?.kind === "transfer" ? props.start.kind : null;
  const [preset, setPreset] = useState<BuilderPreset>(() =>
    fromKind ? { id: "from", label: "The submission you chose", kind: fromKind, spec: props.start } : presets[0]!,
  );
  // Choosing a preset again (or another one) opens a fresh builder: the generation is part of its key.
  const [generation, setGeneration] = useState(0);
  // "Submit again from this one": the builder for CNN and transfer specs, the text editor for anything else.
  const initialMode: Mode = fromKind ?? (props.startText ? "spec" : preset.kind);
  const [mode, setMode] = useState<Mode>(initialMode);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [builderBlocked, setBuilderBlocked] = useState<string | null>(null);
  const [specText, setSpecText] = useState(props.startText ?? "");
  const [kerasText, setKerasText] = useState("");
  const [trainingText, setTrainingText] = useState("optimizer: adam\nlearningRate: 0.001\nepochs: 5\nbatchSize: 64\n");
  const kerasSpec = useMemo(() => kerasDraft(kerasText, trainingText), [kerasText, trainingText]);
  const specDraft = specText.trim() ? specText : null;
  // One key per showing of the form (useSubmitKey): a double click or a resent request is the same submission.
  const [submitKey, renewSubmitKey] = useSubmitKey();
  const onBlocked = useCallback((reason: string | null) => setBuilderBlocked(reason), []);
  const kerasInSpecBox = useMemo(() => isKerasText(specText), [specText]);

  const building = mode === "cnn" || mode === "transfer";
  const noDataset = props.datasets !== undefined && !chosen
    ? "Upload a dataset for this assignment under My datasets first: a submission is trained and scored on one of yours."
    : null;
  const blocked = props.disabledReason ?? noDataset ?? (building ? builderBlocked : null);

  const reset = () => {
    setIssues([]);
    setError(null);
  };
  /** An edit to a text box: the new text, and the server's last answer no longer applies. */
  const edited = (set: (text: string) => void) => (text: string) => {
    set(text);
    reset();
  };
  const choosePreset = (p: BuilderPreset) => {
    setPreset(p);
    setGeneration((g) => g + 1);
    setMode(p.kind);
    reset();
  };
  const chooseTab = (m: Mode) => {
    if ((m === "cnn" || m === "transfer") && preset.kind !== m) {
      setPreset(presets.find((p) => p.kind === m) ?? { id: `empty-${m}`, label: "Empty", kind: m, spec: null });
      setGeneration((g) => g + 1);
    }
    setMode(m);
    reset();
  };

  async function submit(form: HTMLFormElement) {
    setBusy(true);
    reset();
    try {
      const data = new FormData(form);
      data.set("mode", building ? "builder" : mode);
      const answer = await postRun(props.submitUrl, data);
      // The server has answered this submit: whatever is submitted next is a new submission. (After
      // a lost connection the key stays, so sending again cannot make a second submission.)
      renewSubmitKey();
      if (answer.ok) {
        router.push(`/submissions/${answer.id}`);
        return;
      }
      setError(answer.error);
      setIssues(answer.issues);
      router.refresh(); // a rejected spec now appears in the history
    } catch {
      setError("The submission could not be sent; check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const specIssues = mode === "spec" ? issues : [];
  const kerasIssues = mode === "keras" ? issues : [];
  return (
    <form
      aria-label="Submit"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (blocked || busy) return;
        void submit(e.currentTarget);
      }}
    >
      {submitKey && <input type="hidden" name="idempotencyKey" value={submitKey} readOnly />}
      {props.datasets !== undefined && (
        <div className="rounded-md border border-slate-200 bg-white p-3" data-testid="dataset-choice">
          {props.datasets.length > 0 ? (
            <>
              <label htmlFor="student-dataset" className="block text-sm font-semibold">Your dataset</label>
              <select
                id="student-dataset"
                name="studentDatasetId"
                value={datasetId ?? ""}
                onChange={(e) => {
                  setDatasetId(e.target.value);
                  setGeneration((g) => g + 1);
                  reset();
                }}
                aria-describedby="student-dataset-help"
                className="mt-1 max-w-full rounded border border-slate-300 px-2 py-1 text-sm"
              >
                {props.datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} — {d.classes.length} classes, {d.imageCount} images, {d.inputShape[0]} px {d.inputShape[2] === 1 ? "grayscale" : "colour"}
                  </option>
                ))}
              </select>
              <p id="student-dataset-help" className="mt-1 text-sm text-slate-600">
                The grader trains on its train part and scores on its test part ({chosen?.classes.join(", ")}); the platform&apos;s
                baseline on the same dataset is what your score is measured against.
              </p>
              <FieldError id="student-dataset-error" message={fieldError(issues, "studentDatasetId")} />
            </>
          ) : (
            <p className="text-sm" role="note">
              You have no dataset for this assignment yet.{" "}
              {props.datasetsUrl ? <a className="underline" href={props.datasetsUrl}>Upload one under My datasets</a> : "Upload one under My datasets"}, then come back.
            </p>
          )}
        </div>
      )}
      <ModeTabs label="How to submit" tabs={TABS} mode={mode} onChoose={chooseTab} />

      {building && (
        <>
          <PresetPicker presets={presets} chosenId={preset.id} onChoose={choosePreset} testId="presets" />
          <SpecBuilder
            key={`${mode}-${preset.id}-${generation}-${datasetId ?? ""}`}
            kind={mode}
            assignment={limits}
            bases={props.bases}
            start={preset.kind === mode ? sized(preset).spec : null}
            serverIssues={issues}
            onBlocked={onBlocked}
          />
        </>
      )}

      {mode === "spec" && (
        <div className="space-y-3">
          <div>
            <label htmlFor="spec-text" className="block text-sm font-semibold">Spec (JSON or YAML)</label>
            <CodeArea id="spec-text" name="spec" rows={14} value={specText} onEdit={edited(setSpecText)} invalid={specIssues.length > 0} aria-describedby="spec-error" placeholder={SPEC_PLACEHOLDER} />
            {kerasInSpecBox && (
              <div role="status" data-testid="keras-detected" className="mt-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
                This is a Keras model topology (model.to_json() or a TF.js model.json), not a spec: it needs a training block.{" "}
                <button
                  type="button"
                  onClick={() => {
                    setKerasText(specText);
                    setSpecText("");
                    chooseTab("keras");
                  }}
                  className="font-semibold underline"
                >
                  Open it in the Keras tab
                </button>
              </div>
            )}
            {kerasInSpecBox ? (
              <IssueList id="spec-error" issues={specIssues} testId="spec-errors" />
            ) : (
              <TextCheck draft={specDraft} serverIssues={specIssues} assignment={limits} bases={props.bases} id="spec-error" testId="spec-errors" />
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
            <label htmlFor="keras-text" className="block text-sm font-semibold">Keras topology: paste what model.to_json() printed, or a TF.js model.json</label>
            <CodeArea id="keras-text" name="kerasText" rows={8} value={kerasText} onEdit={edited(setKerasText)} invalid={kerasIssues.length > 0} aria-describedby="keras-errors keras-allowed" placeholder={KERAS_PLACEHOLDER} />
            <label htmlFor="keras-file" className="mt-2 block text-sm">…or choose the .json file</label>
            <input id="keras-file" name="kerasFile" type="file" accept=".json,application/json" className="mt-1 text-sm" />
            <TextCheck draft={kerasSpec} serverIssues={kerasIssues} assignment={limits} bases={props.bases} id="keras-errors" testId="keras-errors" />
            <details id="keras-allowed" className="mt-2 text-sm text-slate-700" data-testid="keras-allowed">
              <summary className="cursor-pointer">Allowed Keras layers ({KERAS_LAYERS.length})</summary>
              <ul className="mt-1 columns-2 pl-5 sm:columns-3">
                {KERAS_LAYERS.map((c) => <li key={c} className="list-disc"><code>{c}</code></li>)}
              </ul>
            </details>
          </div>
          <div>
            <label htmlFor="keras-training" className="block text-sm font-semibold">Training block (YAML or JSON)</label>
            <CodeArea id="keras-training" name="training" rows={6} value={trainingText} onEdit={edited(setTrainingText)} />
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
          <p className="text-sm text-slate-600">The grader only runs it on the {chosen ? "test part of your dataset" : "held-out set"}; it must take [{limits.inputShape.join(", ")}] images scaled to 0–1 and output {limits.classes.length} probabilities.</p>
          {chosen && (
            <p className="mt-1 text-sm text-amber-900" role="note" data-testid="had-test-images">
              You uploaded these images yourself, so you had the test part when you trained this model: its report will say so, and
              the score cannot show that the model never saw them.
            </p>
          )}
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
        <p role="alert" data-testid="submit-error" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {issues.length && mode !== "model" ? refusalHeadline(issues.length, mode) : error}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={busy}
          aria-disabled={blocked ? true : undefined}
          aria-describedby={blocked ? "submit-blocked" : undefined}
          className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white disabled:opacity-50 aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
        >
          {busy ? "Submitting…" : "Submit for grading"}
        </button>
        {blocked && <p id="submit-blocked" role="status" data-testid="submit-blocked" className="text-sm text-slate-700">{blocked}</p>}
      </div>
    </form>
  );
}
