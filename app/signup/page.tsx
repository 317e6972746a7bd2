import { redirect } from "next/navigation";
import { getCurrentUser } from "@/app/_lib/auth/session";
import { SignUpForm } from "./sign-up-form";
import { Card } from "@/app/_components/ui/card";

export const metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/courses");
  return (
    <Card as="div" padding="lg" raised className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Create an account</h1>
      <p className="mt-1 text-sm text-slate-600">Then join your course with the code your instructor gave you.</p>
      <SignUpForm />
    </Card>
  );
}
