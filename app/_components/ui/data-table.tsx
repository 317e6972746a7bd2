import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

/** One column of a DataTable: its header and how a row fills its cell. */
export interface Column<Row> {
  /** The header cell. */
  header: ReactNode;
  /**
   * The value's label when rows are laid out as cards on a phone (defaults to `header` when that
   * is a string; an empty label shows the value alone, e.g. an action link).
   */
  label?: string;
  cell: (row: Row, index: number) => ReactNode;
  /** Numbers: tabular figures, so a column of scores lines up. */
  numeric?: boolean;
  /** Extra classes for this column's header and cells. */
  className?: string;
}

/**
 * How the table behaves on a narrow screen:
 * - `scroll`: it keeps its columns and scrolls sideways inside its own box (never the page);
 *   for tables read across, like a metrics table comparing splits.
 * - `cards`: below 640 px each row becomes a small card of "label: value" lines; for lists of
 *   records, like a submission history, where every value must stay in view.
 */
export type TableLayout = "scroll" | "cards";

const CELL = "p-2 align-top";
const CARD_CELL =
  "max-sm:flex max-sm:min-w-0 max-sm:gap-3 max-sm:px-0 max-sm:py-1 max-sm:[overflow-wrap:anywhere]";
const CARD_LABEL = "max-sm:before:w-28 max-sm:before:shrink-0 max-sm:before:font-medium max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)]";

/**
 * A table of records from `columns` and `rows`, the same everywhere: header row, ruled rows,
 * tabular numbers, and a narrow-screen layout that never widens the page (see TableLayout).
 * No hooks, so server pages and client components both use it.
 *
 * `label` names the table for assistive technology (the scrolling box is a focusable region, so
 * a keyboard user can scroll it); `caption` is shown above the table when given.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  label,
  caption,
  layout = "scroll",
  empty,
  footer,
  rowProps,
  className,
  ...rest
}: {
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string | number;
  label: string;
  caption?: ReactNode;
  layout?: TableLayout;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  /** A `<tr>` (or several) for the table's `<tfoot>`, e.g. a total; for the scroll layout. */
  footer?: ReactNode;
  /** Attributes for a row's `<tr>` (a test id, a data attribute, a highlight class). */
  rowProps?: (row: Row, index: number) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>;
} & Omit<HTMLAttributes<HTMLTableElement>, "children">) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const cards = layout === "cards";
  // Chromium drops a table's semantics once its parts are display:block; the roles keep them.
  const role = (r: string) => (cards ? r : undefined);
  const labelOf = (c: Column<Row>) => c.label ?? (typeof c.header === "string" ? c.header : "");
  const table = (
    <table
      role={role("table")}
      aria-label={caption ? undefined : label}
      className={cn("w-full text-left text-sm", cards && "max-sm:block", className)}
      {...rest}
    >
      {caption && <caption className="p-2 text-left text-slate-600">{caption}</caption>}
      <thead role={role("rowgroup")} className={cn("text-slate-500", cards && "max-sm:sr-only")}>
        <tr role={role("row")}>
          {columns.map((c, i) => (
            <th key={i} role={role("columnheader")} scope="col" className={cn(CELL, "font-medium", c.numeric && "tabular-nums", c.className)}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role={role("rowgroup")} className={cn(cards && "max-sm:block max-sm:space-y-3")}>
        {rows.map((row, r) => {
          const extra = rowProps?.(row, r) ?? {};
          return (
            <tr
              key={rowKey(row, r)}
              role={role("row")}
              {...extra}
              className={cn(
                "border-t border-slate-100",
                cards && "max-sm:block max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:px-3 max-sm:py-2",
                extra.className,
              )}
            >
              {columns.map((c, i) => {
                const text = labelOf(c);
                return (
                  <td
                    key={i}
                    role={role("cell")}
                    data-label={cards && text ? text : undefined}
                    className={cn(CELL, c.numeric && "tabular-nums", cards && CARD_CELL, cards && text && CARD_LABEL, c.className)}
                  >
                    {c.cell(row, r)}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
      {footer && <tfoot>{footer}</tfoot>}
    </table>
  );
  return <ScrollArea label={label}>{table}</ScrollArea>;
}

/**
 * A box that scrolls sideways on its own when its content is wider than the page (a table with rows
 * of its own making, a wide drawing), so the page never does. A focusable, named region: a keyboard
 * user can scroll it, and axe's scrollable-region-focusable rule is met. Positioned, so absolutely
 * positioned content inside (an sr-only header) is clipped by it instead of widening the page.
 */
export function ScrollArea({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cn("relative max-w-full overflow-x-auto rounded-md focus-visible:outline-2 focus-visible:outline-brand-600", className)}>
      {children}
    </div>
  );
}
