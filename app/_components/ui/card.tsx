import type { HTMLAttributes, Ref } from "react";
import { cn } from "./cn";

/** The inner space of a card: `sm` for charts and compact lists, `md` for most sections, `lg` for a page's only box. */
const PADDING = { none: "", sm: "p-4", md: "p-6", lg: "p-8" } as const;

export type CardPadding = keyof typeof PADDING;

/**
 * The white, ringed box every page groups its content in (one class string instead of forty).
 * `as` picks the element, so a card can be a page `section`, a chart's `figure` or a plain `div`;
 * `raised` adds the light shadow of the home and sign-in boxes.
 */
export function Card({
  as: Tag = "section",
  padding = "md",
  raised = false,
  className,
  ref,
  ...rest
}: HTMLAttributes<HTMLElement> & {
  as?: "section" | "div" | "figure" | "article" | "aside" | "footer" | "form";
  padding?: CardPadding;
  raised?: boolean;
  ref?: Ref<HTMLElement>;
}) {
  return (
    <Tag
      // The union of element types cannot take one ref type; every member is an HTMLElement.
      ref={ref as Ref<never>}
      className={cn("min-w-0 rounded-xl bg-white ring-1 ring-slate-200", PADDING[padding], raised && "shadow-sm", className)}
      {...rest}
    />
  );
}

/** A card's heading, in the size every section uses. */
export function CardTitle({ as: Tag = "h2", className, ...rest }: HTMLAttributes<HTMLHeadingElement> & { as?: "h2" | "h3" }) {
  return <Tag className={cn("text-xl font-semibold", className)} {...rest} />;
}
