import { getCurrentUser } from "@/app/_lib/auth/session";
import { Card } from "@/app/_components/ui/card";
import { ButtonLink } from "@/app/_components/ui/button";

export default async function HomePage() {
  const user = await getCurrentUser();
  return (
    <div className="space-y-8">
      <Card padding="lg" raised>
        <h1 className="text-3xl font-bold">Image Classification and Transfer Learning</h1>
        <p className="mt-3 max-w-3xl text-slate-700">
          Tensorgrade is the course platform for Lesson 6 of Computer Vision Fundamentals. Read the lesson, check your
          understanding with the quiz, then submit a model for Assignment 6: a small CNN or a transfer-learning recipe.
          Our grader trains it, scores it on a held-out set you never see, and shows you the confusion matrix, ROC
          curves and training curves.
        </p>
        <div className="mt-6 flex gap-3">
          {user ? (
            <ButtonLink href="/courses">Go to the course</ButtonLink>
          ) : (
            <>
              <ButtonLink href="/signin">Sign in</ButtonLink>
              <ButtonLink href="/signup" variant="secondary">
                Create an account
              </ButtonLink>
            </>
          )}
        </div>
      </Card>
      <section className="grid gap-4 md:grid-cols-3">
        {[
          ["Learn", "CNN building blocks, pre-trained models, freezing and fine-tuning, and how to read a confusion matrix."],
          ["Practise", "A quiz drawn fresh for every attempt, with explanations once you submit."],
          ["Build", "Submit a model config or a trained TF.js model; watch it train live; compare on the leaderboard."],
        ].map(([title, text]) => (
          <Card as="div" padding="sm" key={title}>
            <h2 className="font-semibold">{title}</h2>
            <p className="mt-1 text-sm text-slate-600">{text}</p>
          </Card>
        ))}
      </section>
    </div>
  );
}
