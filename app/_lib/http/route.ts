import { NextResponse } from "next/server";
import { getCurrentUser, type CurrentUser } from "@/app/_lib/auth/session";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { env } from "@/env";
import { crossSiteRefusal } from "./same-origin";
import { userErrorAnswer } from "./user-error";

type RouteContext<P> = { params: Promise<P> };
type Handler<P> = (req: Request, ctx: { user: CurrentUser; params: P }) => Promise<Response>;

/** Maps any error to the JSON answer a client can act on. Only unexpected errors are 500s, and they are logged. */
export function errorResponse(err: unknown): Response {
  const answer = userErrorAnswer(err);
  if (answer) {
    const { status, ...body } = answer;
    return NextResponse.json(body, { status });
  }
  console.error("[http] unexpected error:", err);
  return NextResponse.json({ error: "Something went wrong on our side. Please try again." }, { status: 500 });
}

function wrap<P>(role: "any" | "instructor", handler: Handler<P>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      // Before the session is read: a cross-site request is refused whoever it is on behalf of.
      const refusal = crossSiteRefusal(req, env.NEXTAUTH_URL);
      if (refusal) throw new ForbiddenError(refusal);
      const user = await getCurrentUser();
      if (!user) throw new UnauthorizedError();
      if (role === "instructor" && user.role !== "instructor") throw new ForbiddenError();
      return await handler(req, { user, params: await ctx.params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/**
 * A route handler for any signed-in user (401 otherwise). Like withInstructor, it refuses a
 * state-changing request from another site with a 403 (see ./same-origin.ts).
 */
export const withUser = <P = Record<string, never>>(handler: Handler<P>) => wrap<P>("any", handler);
/** A route handler for instructors only (401 when signed out, 403 for students). */
export const withInstructor = <P = Record<string, never>>(handler: Handler<P>) => wrap<P>("instructor", handler);
