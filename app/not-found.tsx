import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg rounded-xl bg-white p-8 text-center ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold">404 — nothing here</h1>
      <p className="mt-2 text-slate-600">The page does not exist, or it is not yours to see.</p>
      <Link href="/" className="mt-4 inline-block">Back to the start page</Link>
    </div>
  );
}
