"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { takeJustSubmitted } from "./just-submitted";

/**
 * The box with an attempt's score. Right after a submit the page is still scrolled to the Submit
 * button at the bottom, and the focused button is gone: this brings the score into view and puts the
 * focus on it, so a sighted student sees the result and a screen reader announces it (issue 14 §9).
 */
export function ScoreSummary({ attemptId, labelledBy, children }: { attemptId: string; labelledBy: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!takeJustSubmitted(attemptId)) return;
    const el = box.current;
    if (!el) return;
    const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    el.scrollIntoView({ block: "start", behavior: reduceMotion ? "auto" : "smooth" });
    el.focus({ preventScroll: true });
  }, [attemptId]);
  return (
    <div
      ref={box}
      tabIndex={-1}
      role="region"
      aria-labelledby={labelledBy}
      data-testid="attempt-summary"
      className="scroll-mt-4 rounded-xl bg-white p-6 outline-none ring-1 ring-slate-200 focus-visible:ring-2 focus-visible:ring-brand-600"
    >
      {children}
    </div>
  );
}
