"use client";

import { useState } from "react";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { SIGN_IN_ERROR, signInErrorMessage } from "@/app/_lib/auth/sign-in-errors";
import { Button } from "@/app/_components/ui/button";

export function SignInForm(props: {
  callbackUrl: string;
  initialError: string | null;
  oauthProviders: { id: string; name: string }[];
}) {
  const [error, setError] = useState(props.initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (!res || res.error) {
      setError(signInErrorMessage(res?.error ?? SIGN_IN_ERROR.unavailable));
      return;
    }
    window.location.assign(props.callbackUrl);
  }

  return (
    <div className="mt-6 space-y-4">
      <form onSubmit={onSubmit} className="space-y-4">
        <label className="block text-sm font-medium">
          Email
          <input name="email" type="email" required autoComplete="email" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input name="password" type="password" required autoComplete="current-password" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <Button type="submit" disabled={pending} className="w-full">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {props.oauthProviders.map((p) => (
        <Button key={p.id} variant="secondary" onClick={() => signIn(p.id, { callbackUrl: props.callbackUrl })} className="w-full">
          Continue with {p.name}
        </Button>
      ))}
      <p className="text-sm text-slate-600">
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
