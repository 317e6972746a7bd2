import { describe, expect, it } from "vitest";
import { analyseSpec, type LiveAnalysis } from "@/app/courses/[slug]/assignments/[number]/builder/analyse-spec";
import {
  createLiveAnalyser,
  LIVE_ANALYSIS_TIMED_OUT,
  type AnalysisWorkerLike,
  type LiveAnalysisRequest,
} from "@/app/courses/[slug]/assignments/[number]/builder/live-analyser";
import { registeredBases } from "@/grader/registry/registered-bases";
import { MAX_JSON_DEPTH } from "@/grader/spec/topology-limits";
import { tinyAssignment } from "../grader/builders";

const assignment = tinyAssignment();
const bases = registeredBases();
const draft = (units: number) => ({
  kind: "cnn",
  layers: [{ type: "flatten" }, { type: "dense", units, activation: "softmax" }],
  training: { epochs: 1 },
});

/**
 * Stand-ins for the browser's Worker, which Node does not have: one that answers as
 * live-analysis.worker.ts does (the real analyseSpec, asynchronously), and one stuck on its draft forever, as a
 * worker running a parser bug would be. The page-side logic under test only sees postMessage/terminate/onmessage.
 */
class AnsweringWorker implements AnalysisWorkerLike {
  onmessage: AnalysisWorkerLike["onmessage"] = null;
  onerror: AnalysisWorkerLike["onerror"] = null;
  terminated = false;
  postMessage(message: unknown) {
    const { id, spec, assignment: a, bases: b } = message as LiveAnalysisRequest;
    setTimeout(() => this.onmessage?.({ data: { id, result: analyseSpec(spec, a, b) } } as MessageEvent), 1);
  }
  terminate() {
    this.terminated = true;
  }
}
class StuckWorker extends AnsweringWorker {
  override postMessage() {}
}

function harness(makeWorker: () => AnsweringWorker, timeoutMs = 200) {
  const results: LiveAnalysis[] = [];
  const workers: AnsweringWorker[] = [];
  const analyser = createLiveAnalyser({
    createWorker: () => {
      const w = makeWorker();
      workers.push(w);
      return w;
    },
    onResult: (r) => results.push(r),
    timeoutMs,
  });
  const next = async (count = 1) => {
    await expect.poll(() => results.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
    return results[count - 1]!;
  };
  return { analyser, results, workers, next };
}

describe("the builder's live analysis off the main thread", () => {
  it("shows the worker's table and budget for a draft, and only the newest draft's answer", async () => {
    const h = harness(() => new AnsweringWorker());
    h.analyser.analyse(draft(3), assignment, bases);
    h.analyser.analyse(draft(7), assignment, bases); // typed on before the first answer came back
    const shown = await h.next();
    expect(shown.analysis?.outputShape).toEqual([7]);
    expect(h.results).toHaveLength(1);
    expect(h.workers).toHaveLength(1);
    h.analyser.close();
  });

  it("gives up on a draft whose analysis never returns, says so, and analyses the next draft in a fresh worker", async () => {
    let stuck = true;
    const h = harness(() => (stuck ? new StuckWorker() : new AnsweringWorker()));
    h.analyser.analyse(draft(3), assignment, bases);
    const timedOut = await h.next();
    expect(timedOut).toEqual({ analysis: null, issues: [{ path: "", message: LIVE_ANALYSIS_TIMED_OUT }], budget: [] });
    expect(h.workers[0]!.terminated).toBe(true);

    stuck = false;
    h.analyser.analyse(draft(3), assignment, bases);
    const fine = await h.next(2);
    expect(fine.analysis?.totalParams).toBeGreaterThan(0);
    expect(fine.issues).toEqual([]);
    expect(h.workers).toHaveLength(2);
    h.analyser.close();
  });

  it("refuses a draft nested deeper than the limit at once, without posting it", async () => {
    const h = harness(() => new StuckWorker());
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    h.analyser.analyse({ kind: "cnn", layers: deep, training: { epochs: 1 } }, assignment, bases);
    expect(h.results[0]?.issues[0]?.message).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
    expect(h.workers).toHaveLength(0);
    h.analyser.close();
  });
});
