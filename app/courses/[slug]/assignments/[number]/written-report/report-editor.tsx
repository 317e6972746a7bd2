"use client";

import { useCallback, useDeferredValue, useEffect, useRef, useState } from "react";
import type { RunView } from "@/domain/runs/run-view";
import { MAX_COMPARED_RUNS, MIN_COMPARED_RUNS } from "@/domain/runs/run-view";
import { embeddedRunIds, embedLine, parseReport, type EmbedKind } from "@/domain/written-reports/embeds";
import type { WrittenReportState } from "@/domain/written-reports/written-report";
import { WrittenReportBody } from "@/app/_components/written-report/written-report-body";
import { Button } from "@/app/_components/ui/button";
import { saveWrittenReportAction } from "./save-action";
import { previewRunsAction } from "./preview-runs-action";

/** A run the picker offers: the student's own, with a report. */
export interface PickableRun {
  id: string;
  label: string;
  approach: string;
  purpose: "graded" | "practice" | "baseline";
  datasetKey: string;
  datasetName: string;
  createdAt: string;
}

type SaveState = { kind: "saved"; at: string | null } | { kind: "dirty" } | { kind: "saving" } | { kind: "error"; message: string; lines: string[] };

const AUTOSAVE_MS = 1500;
const backupKey = (assignmentId: string) => `tg-written-report-${assignmentId}`;

/** The browser's copy of text the server does not have yet (storage may be off: then there is none). */
function keepBackup(assignmentId: string, body: string, base: string | null) {
  try {
    localStorage.setItem(backupKey(assignmentId), JSON.stringify({ body, base }));
  } catch {
    // No storage: the server's copy is all there is.
  }
}

function forgetBackup(assignmentId: string) {
  try {
    localStorage.removeItem(backupKey(assignmentId));
  } catch {
    // As above.
  }
}

/**
 * The written report editor: Markdown on the left, the live preview (with the embedded runs drawn from
 * their stored reports) beside it, saved to the server as a draft a moment after each change and on
 * "Save draft". A change the server refuses (a bad embed) or cannot take (offline) is kept in this
 * browser and offered back after a reload, so nothing typed is lost. "Hand in" stores and locks it.
 */
export function ReportEditor(props: { assignmentId: string; initial: WrittenReportState; runs: PickableRun[]; initialViews: Record<string, RunView> }) {
  const [body, setBody] = useState(props.initial.body);
  const [version, setVersion] = useState(props.initial.updatedAt);
  const [handedInAt, setHandedInAt] = useState(props.initial.handedInAt);
  const [save, setSave] = useState<SaveState>({ kind: "saved", at: props.initial.updatedAt });
  const [views, setViews] = useState<Record<string, RunView>>(props.initialViews);
  const [restored, setRestored] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [pickRun, setPickRun] = useState(props.runs[0]?.id ?? "");
  const [pickAs, setPickAs] = useState<EmbedKind>("run");
  const [compareIds, setCompareIds] = useState<string[]>([]);
  const [pickError, setPickError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const requested = useRef(new Set(Object.keys(props.initialViews)));
  const saving = useRef(false);
  const latest = useRef({ body, version });
  latest.current = { body, version };
  const preview = useDeferredValue(body);
  const locked = handedInAt !== null;

  // A change kept in this browser (refused or unsent) comes back after a reload, if the server's copy is the one it started from.
  useEffect(() => {
    if (locked) return;
    try {
      const raw = localStorage.getItem(backupKey(props.assignmentId));
      if (!raw) return;
      const kept = JSON.parse(raw) as { body?: unknown; base?: unknown };
      if (typeof kept.body === "string" && kept.base === props.initial.updatedAt && kept.body !== props.initial.body) {
        setBody(kept.body);
        setSave({ kind: "dirty" });
        setRestored(true);
      } else localStorage.removeItem(backupKey(props.assignmentId));
    } catch {
      // No storage (private mode): the server's copy is all there is.
    }
    // Only on the first showing.
  }, []);

  const persist = useCallback(
    async (handIn: boolean) => {
      if (saving.current) return false;
      saving.current = true;
      const { body: text, version: base } = latest.current;
      setSave({ kind: "saving" });
      try {
        const res = await saveWrittenReportAction({ assignmentId: props.assignmentId, body: text, expectedUpdatedAt: base, handIn });
        if (!res.ok) {
          setSave({ kind: "error", message: res.error, lines: (res.issues ?? []).map((i) => i.message) });
          return false;
        }
        setVersion(res.data.updatedAt);
        if (res.data.handedInAt) setHandedInAt(res.data.handedInAt);
        forgetBackup(props.assignmentId);
        // Typed while saving: still to be saved.
        setSave(latest.current.body === text ? { kind: "saved", at: res.data.updatedAt } : { kind: "dirty" });
        return true;
      } catch {
        setSave({ kind: "error", message: "Could not reach the server; your text is kept in this browser. Try again in a moment.", lines: [] });
        return false;
      } finally {
        saving.current = false;
      }
    },
    [props.assignmentId],
  );

  // Autosave a moment after the last change; keep a copy in the browser until the server has it.
  useEffect(() => {
    if (locked || save.kind !== "dirty") return;
    keepBackup(props.assignmentId, body, version);
    const t = setTimeout(() => void persist(false), AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [body, version, save.kind, locked, persist, props.assignmentId]);

  // The preview asks the server for the runs it has not drawn yet (only the student's own come back).
  useEffect(() => {
    const ids = embeddedRunIds(parseReport(preview)).filter((id) => !requested.current.has(id));
    if (!ids.length) return;
    ids.forEach((id) => requested.current.add(id));
    void previewRunsAction({ assignmentId: props.assignmentId, ids }).then((res) => {
      if (res.ok) setViews((v) => ({ ...v, ...res.data }));
    });
  }, [preview, props.assignmentId]);

  const edit = (text: string) => {
    setBody(text);
    setSave({ kind: "dirty" });
  };

  /** Puts an embed on a line of its own at the cursor. */
  const insert = (line: string) => {
    const el = textarea.current;
    const at = el ? el.selectionStart : body.length;
    const before = body.slice(0, at);
    const after = body.slice(at);
    const pre = before.length && !before.endsWith("\n") ? "\n" : "";
    const post = after.startsWith("\n") ? "\n" : "\n\n";
    const text = `${before}${pre}${line}${post}${after.replace(/^\n/, "")}`;
    edit(text);
    requestAnimationFrame(() => {
      if (!el) return;
      const pos = before.length + pre.length + line.length + 1;
      el.focus();
      el.setSelectionRange(pos, pos);
    });
  };

  const insertComparison = () => {
    if (compareIds.length < MIN_COMPARED_RUNS || compareIds.length > MAX_COMPARED_RUNS) {
      setPickError(`Tick ${MIN_COMPARED_RUNS} to ${MAX_COMPARED_RUNS} runs to compare.`);
      return;
    }
    const datasets = new Set(compareIds.map((id) => props.runs.find((r) => r.id === id)?.datasetKey));
    if (datasets.size > 1) {
      setPickError("Those runs were trained on different datasets; tick runs on the same dataset.");
      return;
    }
    setPickError(null);
    insert(embedLine("compare", compareIds));
    setCompareIds([]);
  };

  const stateText =
    save.kind === "saved" ? (save.at ? `Saved ${new Date(save.at).toLocaleTimeString()}` : "Saved (nothing written yet)") : save.kind === "saving" ? "Saving…" : save.kind === "dirty" ? "Unsaved changes" : `Not saved: ${save.message}`;

  if (locked) {
    return (
      <div className="space-y-3" data-testid="report-handed-in">
        <p className="rounded-lg bg-green-50 p-3 text-sm text-green-900 ring-1 ring-green-200" role="status">
          Handed in {new Date(handedInAt!).toUTCString()}. A handed-in report is final: it can no longer be changed.
        </p>
        <div data-testid="report-preview">
          <WrittenReportBody body={body} runs={views} />
        </div>
      </div>
    );
  }

  const byDataset = new Map<string, PickableRun[]>();
  for (const r of props.runs) byDataset.set(r.datasetName, [...(byDataset.get(r.datasetName) ?? []), r]);
  const runOption = (r: PickableRun) => `${r.label} — ${r.approach}, ${r.purpose === "graded" ? "graded" : r.purpose === "practice" ? "practice" : "the platform's baseline"}, ${new Date(r.createdAt).toUTCString().slice(5, 22)}`;

  return (
    <div className="space-y-4">
      {restored && (
        <p className="rounded bg-amber-50 p-2 text-sm text-amber-900" role="status">
          Restored changes from this browser that the server did not have yet. They are saved when the report is valid.
        </p>
      )}
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 ring-1 ring-slate-200" data-testid="run-picker">
        {props.runs.length === 0 ? (
          <p className="text-sm text-slate-600">You have no graded run yet to embed: submit a spec (or a practice run on your dataset) first.</p>
        ) : (
          <>
            <div className="w-full min-w-0 text-sm sm:w-auto">
              <label htmlFor="report-pick-run" className="block">Insert a run</label>
              <select id="report-pick-run" value={pickRun} onChange={(e) => setPickRun(e.target.value)} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1 sm:w-auto sm:max-w-[22rem]">
                {[...byDataset].map(([name, rs]) => (
                  <optgroup key={name} label={name}>
                    {rs.map((r) => <option key={r.id} value={r.id}>{runOption(r)}</option>)}
                  </optgroup>
                ))}
              </select>
            </div>
            <div className="text-sm">
              <label htmlFor="report-pick-as" className="block">as</label>
              <select id="report-pick-as" value={pickAs} onChange={(e) => setPickAs(e.target.value as EmbedKind)} className="mt-1 block rounded border border-slate-300 px-2 py-1">
                <option value="run">its metrics table</option>
                <option value="confusion">its confusion matrix</option>
              </select>
            </div>
            <Button size="sm" variant="secondary" onClick={() => pickRun && insert(embedLine(pickAs, [pickRun]))}>Insert</Button>
            <details className="basis-full text-sm">
              <summary className="cursor-pointer font-medium text-brand-700">Insert a comparison</summary>
              <fieldset className="mt-2 space-y-2">
                <legend className="text-slate-600">Tick {MIN_COMPARED_RUNS} to {MAX_COMPARED_RUNS} runs on the same dataset.</legend>
                {[...byDataset].map(([name, rs]) => (
                  <div key={name}>
                    <p className="font-medium">{name}</p>
                    {rs.map((r) => (
                      <label key={r.id} className="flex items-center gap-2">
                        <input
                          type="checkbox"
                          checked={compareIds.includes(r.id)}
                          onChange={(e) => setCompareIds((ids) => (e.target.checked ? [...ids, r.id] : ids.filter((i) => i !== r.id)))}
                        />
                        <span className="[overflow-wrap:anywhere]">{runOption(r)}</span>
                      </label>
                    ))}
                  </div>
                ))}
                <Button size="sm" variant="secondary" onClick={insertComparison}>Insert comparison</Button>
                {pickError && <p role="alert" className="text-red-700">{pickError}</p>}
              </fieldset>
            </details>
          </>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" size="sm" onClick={() => void persist(false)} disabled={save.kind === "saving"}>Save draft</Button>
        {!confirming ? (
          <Button size="sm" onClick={() => setConfirming(true)} disabled={!body.trim()}>Hand in</Button>
        ) : (
          <span className="flex flex-wrap items-center gap-2 rounded bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-amber-200">
            Hand in now? A handed-in report can no longer be changed.
            <Button size="sm" onClick={() => void persist(true).then(() => setConfirming(false))}>Yes, hand it in</Button>
            <Button size="sm" variant="secondary" onClick={() => setConfirming(false)}>Cancel</Button>
          </span>
        )}
        <p id="report-save-state" data-testid="report-save-state" aria-live="polite" className={save.kind === "error" ? "text-sm text-red-700" : "text-sm text-slate-600"}>
          {stateText}
        </p>
      </div>
      {save.kind === "error" && save.lines.length > 1 && (
        <ul className="list-disc pl-5 text-sm text-red-700" data-testid="report-save-problems">
          {save.lines.map((l) => <li key={l}>{l}</li>)}
        </ul>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <label htmlFor="written-report-body" className="block text-sm font-medium">Report (Markdown)</label>
          <textarea
            id="written-report-body"
            ref={textarea}
            data-testid="report-editor"
            value={body}
            onChange={(e) => edit(e.target.value)}
            rows={22}
            spellCheck
            aria-describedby="report-save-state report-help"
            className="mt-1 block w-full rounded border border-slate-300 p-2 font-mono text-sm"
          />
          <p id="report-help" className="mt-1 text-xs text-slate-500">
            Markdown: # headings, **bold**, lists, tables. An embed stands alone on its line: {"{{run <id>}}"}, {"{{confusion <id>}}"}, {"{{compare <id> <id>}}"} — use &quot;Insert a run&quot;. HTML is not rendered.
          </p>
        </div>
        {/* On a wide screen the preview scrolls in its own box beside the text (focusable, so the keyboard scrolls it too). */}
        <section aria-label="Preview" tabIndex={0} className="min-w-0 rounded-lg bg-white p-4 ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-brand-600 lg:max-h-[46rem] lg:overflow-y-auto">
          <h3 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">Preview</h3>
          <div data-testid="report-preview">
            <WrittenReportBody body={preview} runs={views} empty={<p className="text-slate-500">The preview shows your report as your instructor will read it.</p>} />
          </div>
        </section>
      </div>
    </div>
  );
}
