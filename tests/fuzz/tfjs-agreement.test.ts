import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { checkModelLayers } from "@/grader/evaluate/check-model-layers";
import { attempt, fuzzParameters } from "./fuzz-settings";
import { chaosTopologyArb, renderModel, scenarioArb, tfjsQuirkArb } from "./topology-arbitraries";

/**
 * The evaluate-mode check exists because TF.js's `modelFromJSON` rebuilds a Functional graph by retrying layers
 * until their inputs exist, and so never returns from some graphs (a cycle, a reference to a missing layer or
 * node, a call with no inputs). Here the real TF.js is asked to build every topology the check lets through, in a
 * worker thread that is killed when it does not answer: whatever the check accepts, TF.js must settle (build it or
 * throw) in time. A graph that hangs TF.js and passes the check is a hole in the check.
 */

/** Far longer than building a 20-layer model takes on a loaded machine (milliseconds); a graph that loops never answers. */
const SETTLE_MS = 5_000;

const WORKER = `
const { parentPort } = require("node:worker_threads");
const tf = require("@tensorflow/tfjs");
const ready = tf.setBackend("cpu");
parentPort.on("message", async (topology) => {
  await ready;
  try {
    const model = await tf.models.modelFromJSON({ modelTopology: topology });
    model.dispose();
    parentPort.postMessage("built");
  } catch (e) {
    parentPort.postMessage("threw");
  }
});`;

/** One TF.js worker at a time; replaced after a hang. */
class TfjsBuilder {
  private worker: Worker | undefined;

  private get live(): Worker {
    this.worker ??= new Worker(WORKER, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 512 }, stdout: true, stderr: true });
    return this.worker;
  }

  /** Builds the topology in TF.js: "built", "threw", or "hung" when no answer came within `ms`. */
  build(topology: unknown, ms = SETTLE_MS): Promise<"built" | "threw" | "hung"> {
    const worker = this.live;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        worker.removeAllListeners("message");
        void worker.terminate();
        this.worker = undefined;
        resolve("hung");
      }, ms);
      worker.once("message", (m: "built" | "threw") => {
        clearTimeout(timer);
        resolve(m);
      });
      worker.postMessage(topology);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

const tfjs = new TfjsBuilder();
afterAll(() => tfjs.close());

describe("what checkModelLayers lets through, TF.js can build or refuse in time", () => {
  it("TF.js itself never returns from a cycle, so the check is what stands between such an upload and a stuck job", async () => {
    const topology = renderModel({ kind: "functional", layers: [
      { name: "in", cls: "InputLayer", config: { batch_input_shape: [null, 4], dtype: "float32" }, calls: [] },
      { name: "a", cls: "Dense", config: { units: 4 }, calls: [[{ to: 2, node: 0, tensor: 0 }]] },
      { name: "b", cls: "Dense", config: { units: 4 }, calls: [[{ to: 1, node: 0, tensor: 0 }]] },
    ] }, "keras2");
    expect(attempt(() => checkModelLayers(topology)).ok).toBe(false);
    expect(await tfjs.build(topology, 3_000)).toBe("hung");
  });

  it("for generated graphs with one defect, with a TF.js reading quirk, and for stacked defects with junk", async () => {
    const topologyArb = fc.oneof(
      scenarioArb.map((s) => renderModel(s.model, "keras2")),
      tfjsQuirkArb.map((q) => q.topology),
      chaosTopologyArb,
    );
    await fc.assert(
      fc.asyncProperty(topologyArb, async (topology) => {
        if (typeof topology !== "object" || topology === null || Array.isArray(topology)) return;
        const checked = attempt(() => checkModelLayers(topology as Record<string, unknown>));
        if (!checked.ok) return;
        expect(await tfjs.build(topology), "checkModelLayers accepted a topology that TF.js never finishes building").not.toBe("hung");
      }),
      { ...fuzzParameters(0.3), timeout: 4 * SETTLE_MS },
    );
  });
});
