import Link from "next/link";
import { Card } from "@/app/_components/ui/card";

export default function Forbidden() {
  return (
    <Card as="div" padding="lg" className="mx-auto max-w-lg text-center">
      <h1 className="text-2xl font-bold">403 — not for your role</h1>
      <p className="mt-2 text-slate-600">This page is for instructors. If you teach this course, ask an instructor to give you that role.</p>
      <Link href="/" className="mt-4 inline-block">Back to the start page</Link>
    </Card>
  );
}
