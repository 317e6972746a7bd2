import type { HTMLAttributes, ReactNode } from "react";
import { Card } from "@/app/_components/ui/card";
import { DataTable, type Column } from "@/app/_components/ui/data-table";

/** The numbers a chart draws, as the table a screen reader (or a curious reader) gets instead. */
export interface ChartData<Row> {
  label: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string | number;
}

/**
 * A chart in its card: the drawing, its caption, and its text alternative — the data as a table
 * behind a "Show data" toggle (a native <details>, so it works before hydration). Every chart
 * of the site is drawn inside one, so none is an image without words.
 */
export function ChartFigure<Row>({
  chart,
  caption,
  data,
  children,
  className,
  ...rest
}: {
  /** data-chart: which chart this is, for tests and styles. */
  chart: string;
  caption: ReactNode;
  data: ChartData<Row>;
  children: ReactNode;
} & Omit<HTMLAttributes<HTMLElement>, "children">) {
  return (
    <Card as="figure" padding="sm" data-chart={chart} className={className} {...rest}>
      {children}
      <figcaption className="mt-2 text-sm text-slate-600">{caption}</figcaption>
      <details className="mt-2 text-sm" data-chart-part="data">
        <summary className="cursor-pointer font-medium text-brand-700">Show data</summary>
        <div className="mt-2">
          <DataTable label={data.label} columns={data.columns} rows={data.rows} rowKey={data.rowKey} />
        </div>
      </details>
    </Card>
  );
}
