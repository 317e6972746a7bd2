"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/app/_components/ui/button";
import type { AssignmentLimits } from "@/app/courses/[slug]/assignments/[number]/builder/analyse-spec";
import type { BuilderPreset } from "@/app/courses/[slug]/assignments/[number]/builder/presets";
import { SpecBuilder } from "@/app/courses/[slug]/assignments/[number]/builder/spec-builder";
import { CodeArea, ModeTabs, PresetPicker, postRun, useSubmitKey } from "@/app/courses/[slug]/assignments/[number]/builder/run-form-parts";
import type { Issue } from "@/grader/errors";
import type { BaseSummary } from "@/grader/registry/base-summary";

type Mode = "builder" | "spec" | "keras";

const TABS: { mode: Mode; label: string }[] = [
  { mode: "builder", label: "Builder" },
  { mode: "spec", label: "Paste a spec" },
  { mode: "keras", label: "Keras to_json()" },
];

/**
 * Starts a practice run on the dataset: a model from the live builder (starting from the lesson's simple CNN, a
 * transfer recipe on a registered base, or the last practice run), a pasted spec, or a Keras `to_json()` topology
 * with a training block. The builder checks the spec against the dataset's classes and size as it is edited; the
 * server checks it again and answers with the same messages.
 */
export function PracticeRunForm(props: {
  postUrl: string;
  limits: AssignmentLimits;
  bases: BaseSummary[];
  presets: BuilderPreset[];
  /** Why no run can be started now (quota used), or null. */
  disabledReason: string | null;
}) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("builder");
  const [preset, setPreset] = useState<BuilderPreset>(props.presets[0]!);
  const [generation, setGeneration] = useState(0);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [builderBlocked, setBuilderBlocked] = useState<string | null>(null);
  // A fresh key per start (a double click or a resent request is one run).
  const [key, renewKey] = useSubmitKey();
  const onBlocked = useCallback((reason: string | null) => setBuilderBlocked(reason), []);
  const blocked = props.disabledReason ?? (mode === "builder" ? builderBlocked : null);

  async function start(form: HTMLFormElement) {
    setBusy(true);
    setError(null);
    setIssues([]);
    setStarted(null);
    try {
      const data = new FormData(form);
      data.set("mode", mode === "keras" ? "keras" : "spec");
      const answer = await postRun(props.postUrl, data);
      renewKey();
      if (answer.ok) {
        setStarted(answer.id);
        router.refresh();
        return;
      }
      setError(answer.error);
      setIssues(answer.issues);
      router.refresh();
    } catch {
      setError("The run could not be started; check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const chooseTab = (m: Mode) => {
    setMode(m);
    setIssues([]);
    setError(null);
  };

  return (
    <form
      aria-label="Start a practice run"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (blocked || busy) return;
        void start(e.currentTarget);
      }}
    >
      {key && <input type="hidden" name="idempotencyKey" value={key} readOnly />}
      <ModeTabs label="How to give the model" tabs={TABS} mode={mode} onChoose={chooseTab} />

      {mode === "builder" && (
        <>
          <PresetPicker
            presets={props.presets}
            chosenId={preset.id}
            onChoose={(p) => {
              setPreset(p);
              setGeneration((g) => g + 1);
              setIssues([]);
              setError(null);
            }}
            testId="practice-presets"
          />
          <SpecBuilder
            key={`${preset.id}-${generation}`}
            kind={preset.kind}
            assignment={props.limits}
            bases={props.bases}
            start={preset.spec}
            serverIssues={issues}
            onBlocked={onBlocked}
          />
        </>
      )}

      {mode === "spec" && (
        <div>
          <label htmlFor="practice-spec" className="block text-sm font-semibold">Spec (JSON or YAML)</label>
          <CodeArea id="practice-spec" name="spec" rows={12} aria-describedby="practice-spec-help" />
          <p id="practice-spec-help" className="text-sm text-slate-600">
            A `cnn` or `transfer` spec as on the assignment page, with one output per class of this dataset ({props.limits.classes.length}).
          </p>
        </div>
      )}

      {mode === "keras" && (
        <div className="space-y-3">
          <div>
            <label htmlFor="practice-keras" className="block text-sm font-semibold">The output of model.to_json()</label>
            <CodeArea id="practice-keras" name="kerasText" rows={10} />
          </div>
          <div>
            <label htmlFor="practice-training" className="block text-sm font-semibold">Training block (YAML)</label>
            <CodeArea id="practice-training" name="training" rows={5} defaultValue={"optimizer: adam\nlearningRate: 0.001\nepochs: 5\nbatchSize: 64\n"} />
          </div>
        </div>
      )}

      {issues.length > 0 && mode !== "builder" && (
        <ul className="list-disc pl-5 text-sm text-red-800" data-testid="practice-issues">
          {issues.map((i, n) => (
            <li key={n}>{i.path && i.path !== "spec" ? <code>{i.path}</code> : null} {i.message}</li>
          ))}
        </ul>
      )}
      {error && <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 [overflow-wrap:anywhere]" data-testid="practice-error">{error}</p>}
      {started && (
        <p role="status" className="rounded-md bg-green-50 p-3 text-sm text-green-900" data-testid="practice-started">
          Practice run queued. <Link href={`/submissions/${started}`}>Watch it train</Link>, or follow it in the list below.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={Boolean(blocked) || busy} aria-describedby={blocked ? "practice-blocked" : undefined}>
          {busy ? "Starting…" : "Start practice run"}
        </Button>
        {blocked && <span id="practice-blocked" className="text-sm text-slate-600">{blocked}</span>}
      </div>
    </form>
  );
}
