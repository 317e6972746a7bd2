"use client";

import { useState } from "react";
import { signIn } from "next-auth/react";
import { signUpAction } from "./action";
import { Button } from "@/app/_components/ui/button";

type Issues = Record<string, string>;

export function SignUpForm() {
  const [issues, setIssues] = useState<Issues>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    const form = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    const res = await signUpAction(form);
    if (!res.ok) {
      setPending(false);
      setIssues(Object.fromEntries((res.issues ?? []).map((i) => [i.path, i.message])));
      setError(res.issues ? null : res.error);
      return;
    }
    await signIn("credentials", { email: form.email, password: form.password, callbackUrl: "/courses" });
  }

  const field = (name: string, label: string, type: string, autoComplete: string) => (
    <label className="block text-sm font-medium">
      {label}
      <input name={name} type={type} required autoComplete={autoComplete} aria-invalid={Boolean(issues[name])} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
      {issues[name] && <span className="mt-1 block text-sm text-red-700">{issues[name]}</span>}
    </label>
  );

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4">
      {field("name", "Name", "text", "name")}
      {field("email", "Email", "email", "email")}
      {field("password", "Password (10+ characters)", "password", "new-password")}
      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Creating…" : "Create account"}
      </Button>
    </form>
  );
}
