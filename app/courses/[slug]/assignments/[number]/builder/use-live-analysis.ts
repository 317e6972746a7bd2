"use client";

import { useEffect, useRef, useState } from "react";
import type { BaseSummary } from "@/grader/registry/base-summary";
import { analyseSpec, type AssignmentLimits, type LiveAnalysis } from "./analyse-spec";
import { createLiveAnalyser, type LiveAnalyser } from "./live-analyser";

/**
 * The live analysis of the builder's draft. The first render analyses the draft the page started from in place
 * (the same on the server and in the browser, so hydration matches; that draft is the student's own stored spec,
 * already bounded by the server); every edit after that is analysed in a Web Worker under a time limit.
 */
export function useLiveAnalysis(spec: unknown, assignment: AssignmentLimits, bases: BaseSummary[]): LiveAnalysis {
  const [live, setLive] = useState<LiveAnalysis>(() => analyseSpec(spec, assignment, bases));
  const analyser = useRef<LiveAnalyser | null>(null);
  const initial = useRef(spec);

  useEffect(() => {
    const a = createLiveAnalyser({
      // Written out here so the bundler sees `new Worker(new URL(...))` and emits the worker as its own file.
      createWorker: () => new Worker(new URL("./live-analysis.worker.ts", import.meta.url)),
      onResult: setLive,
    });
    analyser.current = a;
    return () => {
      a.close();
      analyser.current = null;
    };
  }, []);

  useEffect(() => {
    if (spec === initial.current) return; // already analysed by the first render
    analyser.current?.analyse(spec, assignment, bases);
  }, [spec, assignment, bases]);

  return live;
}
