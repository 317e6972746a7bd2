import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg rounded-xl bg-white p-8 text-center ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold">403 — not for your role</h1>
      <p className="mt-2 text-slate-600">This page is for instructors. If you teach this course, ask an instructor to give you that role.</p>
      <Link href="/" className="mt-4 inline-block">Back to the start page</Link>
    </div>
  );
}
