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

// The cells' padding, the rules between rows and the phone-card layout are CSS rules on the
// table's own classes (`data-table`, `data-table-cards`: app/globals.css), and each column's
// tabular figures and card label are rules of one small style sheet per set of columns
// (columnStyle), not classes and attributes repeated on every cell: a page of 100 rows sent the
// same dozen card classes and a label on each of its 500 cells, twice (in the HTML and again in
// the React Server Components payload that rides along with it).

/** A CSS string literal holding `text`; quotes, backslashes, line breaks and `<` are escaped, so no text can end the style element. */
function cssString(text: string): string {
  return `"${text.replace(/["\\<>\n\r\f]/g, (ch) => `\\${ch.charCodeAt(0).toString(16)} `)}"`;
}

/** A short, stable name for a set of columns (FNV-1a of their labels and kinds). */
function styleName(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return `dt-${(h >>> 0).toString(36)}`;
}

/**
 * The style sheet of one set of columns: tabular figures for the numeric ones and, in the card
 * layout below 640 px, each value's label before it. Tables with the same columns share one name
 * and one sheet (React keeps a single copy of a `<style>` with a given `href` in the page).
 */
function columnStyle(labels: string[], numeric: boolean[], cards: boolean): { name: string; css: string } | null {
  const rules: string[] = [];
  const nums = numeric.flatMap((n, i) => (n ? [i + 1] : []));
  const labelled = labels.flatMap((l, i) => (cards && l ? [[i + 1, l] as const] : []));
  if (nums.length === 0 && labelled.length === 0) return null;
  const name = styleName(JSON.stringify([labels, numeric, cards]));
  const cell = (n: number) => `.${name}>:not(tfoot)>tr>:nth-child(${n})`;
  if (nums.length) rules.push(`${nums.map(cell).join(",")}{font-variant-numeric:tabular-nums}`);
  if (labelled.length) {
    const before = labelled.map(([n, l]) => `.${name}>tbody>tr>:nth-child(${n})::before{content:${cssString(l)}}`);
    rules.push(`@media (width < 40rem){${before.join("")}}`);
  }
  return { name, css: rules.join("") };
}

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
  // Props are left out rather than set to undefined: the RSC payload spells out each undefined one.
  const role = (r: string) => (cards ? { role: r } : {});
  const labels = columns.map((c) => c.label ?? (typeof c.header === "string" ? c.header : ""));
  const style = columnStyle(labels, columns.map((c) => Boolean(c.numeric)), cards);
  const cellProps = columns.map((c) => ({ ...role("cell"), ...(c.className ? { className: c.className } : {}) }));
  const table = (
    <table
      {...role("table")}
      aria-label={caption ? undefined : label}
      className={cn("data-table w-full text-left text-sm", cards && "data-table-cards", style?.name, className)}
      {...rest}
    >
      {caption && <caption className="p-2 text-left text-slate-600">{caption}</caption>}
      <thead {...role("rowgroup")} className="text-slate-500">
        <tr {...role("row")}>
          {columns.map((c, i) => (
            <th key={i} {...role("columnheader")} scope="col" {...(c.className ? { className: c.className } : {})}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody {...role("rowgroup")}>
        {rows.map((row, r) => (
          <tr key={rowKey(row, r)} {...role("row")} {...rowProps?.(row, r)}>
            {columns.map((c, i) => (
              <td key={i} {...cellProps[i]}>
                {c.cell(row, r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      {footer && <tfoot>{footer}</tfoot>}
    </table>
  );
  return (
    <ScrollArea label={label}>
      {style && (
        <style href={style.name} precedence="data-table">
          {style.css}
        </style>
      )}
      {table}
    </ScrollArea>
  );
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
