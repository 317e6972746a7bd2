import NextAuth from "next-auth";
import { authOptions } from "@/app/_lib/auth/options";

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** next-auth's App Router handler (it awaits `ctx.params` itself). Options are built per request: no work at import. */
function handler(req: Request, ctx: Ctx) {
  return NextAuth(req as never, ctx as never, authOptions(req));
}

export { handler as GET, handler as POST };
