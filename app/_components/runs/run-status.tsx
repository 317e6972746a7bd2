import type { HTMLAttributes } from "react";
import { cn } from "@/app/_components/ui/cn";

const STATUS_STYLE: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-blue-100 text-blue-800",
  succeeded: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
  rejected: "bg-amber-100 text-amber-800",
};

/** A submission's or run's status (queued, running, succeeded, failed, rejected) as a small coloured label. */
export function RunStatus({ status, className, ...rest }: { status: string } & HTMLAttributes<HTMLSpanElement>) {
  return (
    <span {...rest} className={cn("rounded px-2 py-0.5 font-medium", STATUS_STYLE[status], className)}>
      {status}
    </span>
  );
}
