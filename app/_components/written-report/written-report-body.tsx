import type { ComponentPropsWithoutRef, JSX, ReactNode } from "react";
import Markdown, { type Components, type ExtraProps } from "react-markdown";
import remarkGfm from "remark-gfm";
import { parseReport, type Embed } from "@/domain/written-reports/embeds";
import { runLetter, type RunView } from "@/domain/runs/run-view";
import { CompareRuns, RunConfusion, RunMetricsTable } from "@/app/_components/runs/run-figures";

/*
 * A written report as its reader sees it: the student's Markdown, with each embed line drawn from the
 * stored report of the run it names. Hook-free: the grader's page renders it on the server, the editor's
 * preview in the browser, from the same `runs` views. Raw HTML in the Markdown is dropped (react-markdown
 * without rehype-raw, `skipHtml`), link targets go through react-markdown's URL filter, and images are
 * shown as their alt text (a report has no files of its own to show).
 */

type Props<T extends keyof JSX.IntrinsicElements> = ComponentPropsWithoutRef<T> & ExtraProps;

/** The student's headings sit two levels under the page's own (the page has its h1 and the report's h2). */
const heading = (Tag: "h3" | "h4" | "h5" | "h6", cls: string) =>
  function Heading({ node: _n, ...p }: Props<"h1">) {
    return <Tag {...p} className={cls} />;
  };

const COMPONENTS: Components = {
  h1: heading("h3", "mt-6 text-xl font-semibold"),
  h2: heading("h4", "mt-5 text-lg font-semibold"),
  h3: heading("h5", "mt-4 font-semibold"),
  h4: heading("h6", "mt-3 font-semibold"),
  h5: heading("h6", "mt-3 font-semibold"),
  h6: heading("h6", "mt-3 font-semibold"),
  img: ({ alt }: Props<"img">) => <span className="rounded bg-slate-100 px-1 text-sm text-slate-600">[image: {alt || "no description"}]</span>,
  pre: ({ node: _n, ...p }: Props<"pre">) => <pre {...p} tabIndex={0} className="overflow-x-auto rounded bg-slate-100 p-3 text-sm" />,
  table: ({ node: _n, ...p }: Props<"table">) => (
    <div className="relative overflow-x-auto" role="region" aria-label="Table (scrolls sideways)" tabIndex={0}>
      <table {...p} className="text-sm [&_td]:border-t [&_td]:border-slate-200 [&_td]:p-1.5 [&_th]:p-1.5 [&_th]:text-left" />
    </div>
  ),
};

const PROSE =
  "space-y-3 text-slate-800 [overflow-wrap:anywhere] [&_ol]:list-decimal [&_ol]:pl-6 [&_ul]:list-disc [&_ul]:pl-6 [&_p]:leading-7 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1";

function EmbedFigure({ embed, runs }: { embed: Embed; runs: Record<string, RunView | undefined> }) {
  const views = embed.ids.map((id) => runs[id]);
  const fig = `Figure ${embed.figure}`;
  if (views.some((v) => !v)) {
    return (
      <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200" data-embed-missing={embed.ids.join(",")}>
        {fig} cannot be shown: it names a run that is not one of this report&apos;s author&apos;s runs in this course.
      </p>
    );
  }
  const [first] = views as RunView[];
  if (embed.kind === "run") return <RunMetricsTable run={first!} title={`${fig}: metrics of ${first!.label} (${first!.approach})`} />;
  if (embed.kind === "confusion") return <RunConfusion run={first!} title={`${fig}: confusion matrix of ${first!.label}`} />;
  const all = views as RunView[];
  return (
    <section className="space-y-2 rounded-xl p-3 ring-1 ring-slate-200" aria-label={`${fig}: comparison`}>
      <p className="text-sm font-medium text-slate-700">
        {fig}: comparison of {all.map((v, i) => `${runLetter(i)} (${v.label})`).join(", ")}, on {first!.dataset.name}
      </p>
      {new Set(all.map((v) => v.dataset.key)).size > 1 ? (
        <p className="text-sm text-amber-900">These runs were trained on different datasets, so they are not compared.</p>
      ) : (
        <CompareRuns runs={all} titlePrefix={fig} />
      )}
    </section>
  );
}

/** The rendered report; `runs` holds the views of the runs its author may embed (others render as "cannot be shown"). */
export function WrittenReportBody({ body, runs, empty }: { body: string; runs: Record<string, RunView | undefined>; empty?: ReactNode }) {
  const { segments } = parseReport(body);
  if (!segments.length) return <>{empty ?? <p className="text-slate-500">Nothing written yet.</p>}</>;
  return (
    <div className={PROSE} data-testid="written-report-body">
      {segments.map((s, i) =>
        s.type === "markdown" ? (
          <div key={i} className="space-y-3">
            <Markdown remarkPlugins={[remarkGfm]} components={COMPONENTS} skipHtml>
              {s.text}
            </Markdown>
          </div>
        ) : (
          <EmbedFigure key={i} embed={s.embed} runs={runs} />
        ),
      )}
    </div>
  );
}
