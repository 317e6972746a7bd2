"use client";

import { useState } from "react";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { SIGN_IN_ERROR, signInErrorMessage } from "@/app/_lib/auth/sign-in-errors";

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
        <button type="submit" disabled={pending} className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white disabled:opacity-60">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {props.oauthProviders.map((p) => (
        <button key={p.id} type="button" onClick={() => signIn(p.id, { callbackUrl: props.callbackUrl })} className="w-full rounded-md px-4 py-2 ring-1 ring-slate-300">
          Continue with {p.name}
        </button>
      ))}
      <p className="text-sm text-slate-600">
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
