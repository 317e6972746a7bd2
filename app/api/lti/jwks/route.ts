import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { toolJwks } from "@/domain/lti/tool-keys";

/** The tool's public keys, for platforms verifying its deep-linking responses and service-token assertions. */
export async function GET(): Promise<Response> {
  try {
    return NextResponse.json(await toolJwks(await getDb()), { headers: { "cache-control": "public, max-age=300" } });
  } catch (err) {
    console.error("[lti] JWKS could not be read:", err);
    return NextResponse.json({ error: "The tool's keys could not be read. Please try again." }, { status: 500 });
  }
}
