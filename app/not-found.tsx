import Link from "next/link";
import { Card } from "@/app/_components/ui/card";

export default function NotFound() {
  return (
    <Card as="div" padding="lg" className="mx-auto max-w-lg text-center">
      <h1 className="text-2xl font-bold">404 — nothing here</h1>
      <p className="mt-2 text-slate-600">The page does not exist, or it is not yours to see.</p>
      <Link href="/" className="mt-4 inline-block">Back to the start page</Link>
    </Card>
  );
}
