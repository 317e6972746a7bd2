import type { ComponentPropsWithoutRef } from "react";
import type { ExtraProps } from "react-markdown";

/*
 * Code listings and tables in lesson Markdown scroll sideways when they are wider than the column
 * (always on a phone). A box that scrolls must be reachable by keyboard, or a keyboard user cannot
 * read its right-hand side (axe-core's scrollable-region-focusable): both become focusable.
 */

function FocusablePre({ node: _node, ...props }: ComponentPropsWithoutRef<"pre"> & ExtraProps) {
  return <pre {...props} tabIndex={0} />;
}

function ScrollingTable({ node: _node, ...props }: ComponentPropsWithoutRef<"table"> & ExtraProps) {
  return (
    <div className="relative overflow-x-auto" role="region" aria-label="Table (scrolls sideways)" tabIndex={0}>
      <table {...props} />
    </div>
  );
}

/** react-markdown `components` for lesson and quiz Markdown. */
export const MARKDOWN_SCROLLERS = { pre: FocusablePre, table: ScrollingTable };
