import { z } from "zod";
import { SpecInputTooLargeError, checkValueBounds } from "@/grader/spec/input-bounds";
import type { BaseSummary } from "@/grader/registry/base-summary";
import { layerRowSchema } from "@/grader/spec/layer-row";
import type { AssignmentLimits, LiveAnalysis } from "./analyse-spec";

/**
 * The builder's live analysis, run off the page's main thread: each draft spec goes to a Web Worker
 * (./live-analysis.worker.ts) that runs the grader's own spec check (checkSpecForAssignment). If an answer takes
 * longer than LIVE_ANALYSIS_TIMEOUT_MS the worker is terminated (a fresh one takes the next draft) and the builder
 * says so, so no spec can freeze the tab. Sizes and nesting are capped before anything is posted.
 * No React here: spec-builder.tsx drives it through useLiveAnalysis.
 */

/** A real draft is analysed in well under 10 ms; past this the page gives up on it. */
export const LIVE_ANALYSIS_TIMEOUT_MS = 2_000;

/** What the page needs of a Web Worker (so a test can hand in its own). */
export interface AnalysisWorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

const issueSchema = z.object({ path: z.string(), message: z.string() });
const analysedRowSchema = layerRowSchema.extend({ path: z.string() });

/** The one message a live-analysis worker sends per draft (parsed on arrival, like every cross-thread message). */
export const liveAnalysisAnswerSchema = z.object({
  id: z.number().int(),
  result: z.object({
    analysis: z
      .object({
        layers: z.array(analysedRowSchema),
        totalParams: z.number(),
        trainableParams: z.number(),
        flopsPerImage: z.number(),
        inputShape: z.array(z.number()),
        outputShape: z.array(z.number()),
      })
      .nullable(),
    issues: z.array(issueSchema),
    budget: z.array(issueSchema),
  }),
});

/** What the page posts: the draft and what analysing it needs. */
export interface LiveAnalysisRequest {
  id: number;
  spec: unknown;
  assignment: AssignmentLimits;
  bases: BaseSummary[];
}

const refused = (message: string): LiveAnalysis => ({ analysis: null, issues: [{ path: "", message }], budget: [] });

export const LIVE_ANALYSIS_TIMED_OUT = `The spec could not be analysed in time (it ran past ${LIVE_ANALYSIS_TIMEOUT_MS / 1000} s), so the page stopped analysing it. A well-formed spec is analysed in milliseconds: look for a layer list far larger than the assignment needs.`;

export interface LiveAnalyser {
  /** Analyses a draft; `onResult` gets its result (or why there is none). Older drafts still running are ignored. */
  analyse(spec: unknown, assignment: AssignmentLimits, bases: BaseSummary[]): void;
  close(): void;
}

export function createLiveAnalyser(opts: {
  createWorker: () => AnalysisWorkerLike;
  onResult: (live: LiveAnalysis) => void;
  timeoutMs?: number;
}): LiveAnalyser {
  const timeoutMs = opts.timeoutMs ?? LIVE_ANALYSIS_TIMEOUT_MS;
  let worker: AnalysisWorkerLike | null = null;
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const stopWorker = () => {
    worker?.terminate();
    worker = null;
  };
  const workerFor = (): AnalysisWorkerLike => {
    if (worker) return worker;
    const w = opts.createWorker();
    w.onmessage = (event) => {
      const answer = liveAnalysisAnswerSchema.safeParse(event.data);
      if (!answer.success) {
        console.error("[builder] the analysis worker sent an invalid answer:", answer.error.message);
        return;
      }
      if (answer.data.id !== latest) return; // an older draft's answer
      clearTimeout(timer);
      opts.onResult(answer.data.result);
    };
    w.onerror = (event) => {
      console.error("[builder] the analysis worker failed:", event.message);
      clearTimeout(timer);
      stopWorker();
      opts.onResult(refused("The spec could not be analysed in this page (its analysis stopped unexpectedly); the server still checks it when you submit."));
    };
    worker = w;
    return w;
  };

  return {
    analyse(spec, assignment, bases) {
      const id = ++latest;
      clearTimeout(timer);
      try {
        checkValueBounds(spec);
      } catch (e) {
        if (e instanceof SpecInputTooLargeError) return opts.onResult(refused(e.message));
        throw e;
      }
      const request: LiveAnalysisRequest = { id, spec, assignment, bases };
      workerFor().postMessage(request);
      timer = setTimeout(() => {
        if (id !== latest) return;
        // The worker is stuck on this draft (or on an older one ahead of it): end it; the next draft gets a new one.
        stopWorker();
        opts.onResult(refused(LIVE_ANALYSIS_TIMED_OUT));
      }, timeoutMs);
    },
    close() {
      clearTimeout(timer);
      stopWorker();
    },
  };
}
