import Link from "next/link";
import type { ButtonHTMLAttributes, ComponentProps, Ref } from "react";
import { cn } from "./cn";

const VARIANT = {
  /** The one main action of a form or page. */
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  /** A secondary action beside a primary one. */
  secondary: "bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50",
  /** Instructor tools (regrade, save a grade): strong but not the page's call to action. */
  dark: "bg-slate-800 text-white hover:bg-slate-900",
  /** Looks like a link, acts like a button (e.g. "Remove"). */
  link: "text-brand-600 hover:underline",
} as const;

const SIZE = {
  sm: "px-3 py-1.5 text-sm",
  md: "px-4 py-2",
  lg: "px-5 py-2.5 font-semibold",
} as const;

export type ButtonVariant = keyof typeof VARIANT;
export type ButtonSize = keyof typeof SIZE;

/**
 * The classes of a button of this variant and size, for the rare element that is neither a
 * `<button>` nor a link (e.g. a `<summary>`). Link-variant buttons get no padding.
 */
export function buttonClasses({ variant = "primary", size = "md", className }: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return cn(
    "inline-flex items-center justify-center gap-2 rounded-md font-medium no-underline",
    "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600",
    "disabled:cursor-not-allowed disabled:opacity-60",
    VARIANT[variant],
    variant === "link" ? "p-0 text-sm font-normal" : SIZE[size],
    className,
  );
}

/** A `<button>`; `type` defaults to "button", so a button inside a form never submits it by accident. */
export function Button({
  variant,
  size,
  className,
  type = "button",
  ref,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize; ref?: Ref<HTMLButtonElement> }) {
  return <button ref={ref} type={type} className={buttonClasses({ variant, size, className })} {...rest} />;
}

/** A link that looks like a button (the home page's "Sign in", "Export CSV"). */
export function ButtonLink({ variant, size, className, ...rest }: ComponentProps<typeof Link> & { variant?: ButtonVariant; size?: ButtonSize }) {
  // The global link style underlines on hover (globals.css); a button-shaped link should not.
  return <Link className={buttonClasses({ variant, size, className: cn(variant !== "link" && "hover:no-underline", className) })} {...rest} />;
}
