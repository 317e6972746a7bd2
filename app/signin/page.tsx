import { redirect } from "next/navigation";
import { getCurrentUser } from "@/app/_lib/auth/session";
import { authOptions } from "@/app/_lib/auth/options";
import { signInErrorMessage } from "@/app/_lib/auth/sign-in-errors";
import { SignInForm } from "./sign-in-form";
import { Card } from "@/app/_components/ui/card";

export const metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  // `?error=` is a code from next-auth or from anyone who crafts a link: only its fixed message is shown.
  const { callbackUrl, error } = await searchParams;
  // Only same-site paths: an open redirect after sign-in is a phishing tool.
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/courses";
  if (await getCurrentUser()) redirect(target);
  const oauth = authOptions()
    .providers.filter((p) => p.type === "oauth")
    .map((p) => ({ id: p.id, name: p.name }));
  return (
    <Card as="div" padding="lg" raised className="mx-auto max-w-md">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <SignInForm callbackUrl={target} initialError={signInErrorMessage(error)} oauthProviders={oauth} />
    </Card>
  );
}
