/**
 * The builder's Web Worker: runs the grader's own live analysis (./analyse-spec.ts) on each draft the page posts,
 * so a slow or runaway analysis blocks this worker — which the page terminates — and never the tab.
 * @see ./live-analyser.ts
 */
import { analyseSpec } from "./analyse-spec";
import type { LiveAnalysisRequest } from "./live-analyser";

const scope = self as unknown as {
  onmessage: ((event: { data: LiveAnalysisRequest }) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = ({ data }) => {
  try {
    scope.postMessage({ id: data.id, result: analyseSpec(data.spec, data.assignment, data.bases) });
  } catch (e) {
    // analyseSpec turns every user error into issues; anything else is a bug, shown rather than swallowed.
    const message = `The live analysis failed in this page (${e instanceof Error ? e.message : String(e)}); the server still checks the spec when you submit.`;
    scope.postMessage({ id: data.id, result: { analysis: null, issues: [{ path: "", message }], budget: [] } });
  }
};
