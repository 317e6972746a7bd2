import { redirect } from "next/navigation";
import { getCurrentUser } from "@/app/_lib/auth/session";
import { authOptions } from "@/app/_lib/auth/options";
import { SignInForm } from "./sign-in-form";

export const metadata = { title: "Sign in" };

/** next-auth reports failures as `?error=`; its generic codes become one message a person understands. */
function errorMessage(code: string | undefined): string | null {
  if (!code) return null;
  if (code === "CredentialsSignin" || code === "Callback") return "Email or password is incorrect.";
  if (/^[A-Za-z]+$/.test(code)) return "Sign-in did not work. Please try again.";
  return code;
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  // Only same-site paths: an open redirect after sign-in is a phishing tool.
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/courses/cv-fundamentals";
  if (await getCurrentUser()) redirect(target);
  const oauth = authOptions()
    .providers.filter((p) => p.type === "oauth")
    .map((p) => ({ id: p.id, name: p.name }));
  return (
    <div className="mx-auto max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <SignInForm callbackUrl={target} initialError={errorMessage(error)} oauthProviders={oauth} />
    </div>
  );
}
