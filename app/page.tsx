import Link from "next/link";
import { getCurrentUser } from "@/app/_lib/auth/session";

export default async function HomePage() {
  const user = await getCurrentUser();
  return (
    <div className="space-y-8">
      <section className="rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-3xl font-bold">Image Classification and Transfer Learning</h1>
        <p className="mt-3 max-w-3xl text-slate-700">
          Tensorgrade is the course platform for Lesson 6 of Computer Vision Fundamentals. Read the lesson, check your
          understanding with the quiz, then submit a model for Assignment 6: a small CNN or a transfer-learning recipe.
          Our grader trains it, scores it on a held-out set you never see, and shows you the confusion matrix, ROC
          curves and training curves.
        </p>
        <div className="mt-6 flex gap-3">
          {user ? (
            <Link href="/courses" className="rounded-md bg-brand-600 px-4 py-2 text-white no-underline">
              Go to the course
            </Link>
          ) : (
            <>
              <Link href="/signin" className="rounded-md bg-brand-600 px-4 py-2 text-white no-underline">
                Sign in
              </Link>
              <Link href="/signup" className="rounded-md px-4 py-2 ring-1 ring-slate-300 no-underline">
                Create an account
              </Link>
            </>
          )}
        </div>
      </section>
      <section className="grid gap-4 md:grid-cols-3">
        {[
          ["Learn", "CNN building blocks, pre-trained models, freezing and fine-tuning, and how to read a confusion matrix."],
          ["Practise", "A quiz drawn fresh for every attempt, with explanations once you submit."],
          ["Build", "Submit a model config or a trained TF.js model; watch it train live; compare on the leaderboard."],
        ].map(([title, text]) => (
          <div key={title} className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 className="font-semibold">{title}</h2>
            <p className="mt-1 text-sm text-slate-600">{text}</p>
          </div>
        ))}
      </section>
    </div>
  );
}
