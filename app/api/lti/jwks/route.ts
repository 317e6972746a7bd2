import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { toolJwks } from "@/domain/lti/tool-keys";
import { STATIC_SECURITY_HEADERS } from "@/app/_lib/http/security-headers";

/** The tool's public keys, for platforms verifying its deep-linking responses and service-token assertions. */
export async function GET(): Promise<Response> {
  try {
    // The middleware leaves /api/lti/ alone (app/_lib/lti/lti-page.ts), so the usual headers are set here.
    return NextResponse.json(await toolJwks(await getDb()), {
      headers: { ...STATIC_SECURITY_HEADERS, "cache-control": "public, max-age=300", "content-security-policy": "default-src 'none'; frame-ancestors 'none'" },
    });
  } catch (err) {
    console.error("[lti] JWKS could not be read:", err);
    return NextResponse.json({ error: "The tool's keys could not be read. Please try again." }, { status: 500 });
  }
}
