import { randomBytes } from "node:crypto";
import { getDb } from "@/db";
import { platformOrigins } from "@/db/queries/lti/platforms";
import { STATIC_SECURITY_HEADERS } from "@/app/_lib/http/security-headers";

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem;color:#111827;background:#fff}
main{max-width:40rem;margin:0 auto}
h1{font-size:1.4rem;margin:0 0 1rem}
.error{border-left:4px solid #b91c1c;padding:.5rem 1rem;background:#fef2f2}
.button,button{display:inline-block;background:#1d4ed8;color:#fff;border:0;border-radius:.375rem;padding:.6rem 1rem;font:inherit;text-decoration:none;cursor:pointer}
fieldset{border:1px solid #d1d5db;border-radius:.375rem;margin:0 0 1rem;padding:.75rem 1rem}
label{display:block;margin:.25rem 0}
code{font-size:.9em}
`;

export interface LtiPageOptions {
  title: string;
  /** Trusted HTML (build it with `esc` for anything that came from a request). */
  body: string;
  status?: number;
  /** Origins a form on the page may post to besides this site (the LMS's deep-linking return URL). */
  formTargets?: string[];
  /** An inline script allowed by nonce (the auto-submit of the deep-linking response). */
  script?: string;
  /** Origins besides the registered platforms' that may frame the page (the LMS page a launch came from). */
  frameAncestors?: string[];
}

/**
 * The HTML answer of an LTI endpoint. These pages run inside the LMS's iframe, so unlike every
 * other page they may be framed — by the registered platforms only (CSP frame-ancestors; the
 * middleware and next.config.mjs leave /lti/ and /api/lti/ to this function). No script runs on
 * them except the one passed here, by nonce.
 */
export async function ltiPage(opts: LtiPageOptions): Promise<Response> {
  const ancestors = [...new Set([...(await platformOrigins(await getDb())), ...(opts.frameAncestors ?? [])])];
  const nonce = randomBytes(16).toString("base64");
  const csp = [
    "default-src 'none'",
    `script-src ${opts.script ? `'nonce-${nonce}'` : "'none'"}`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    `form-action 'self' ${(opts.formTargets ?? []).join(" ")}`.trim(),
    "base-uri 'none'",
    `frame-ancestors 'self' ${ancestors.join(" ")}`.trim(),
  ].join("; ");
  const headers = new Headers({ "content-type": "text/html; charset=utf-8", "content-security-policy": csp, "cache-control": "no-store" });
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) {
    // X-Frame-Options cannot name origins; frame-ancestors above says who may frame.
    if (name !== "x-frame-options") headers.set(name, value);
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(opts.title)} · Tensorgrade</title><style>${STYLE}</style></head><body><main>${opts.body}</main>${opts.script ? `<script nonce="${nonce}">${opts.script}</script>` : ""}</body></html>`;
  return new Response(html, { status: opts.status ?? 200, headers });
}

/** A refusal page: what went wrong in words, and the code to pass on to whoever runs the LMS. */
export function ltiErrorPage(status: number, message: string, code: string, extraHtml = ""): Promise<Response> {
  return ltiPage({
    title: "Launch refused",
    status,
    body: `<h1>Tensorgrade could not open this launch</h1><p class="error" role="alert">${esc(message)}</p><p>Nothing was signed in. Error code: <code>${esc(code)}</code></p>${extraHtml}`,
  });
}
