/**
 * The browser-hardening headers every response carries: middleware.ts sets them on requests without
 * a body, next.config.mjs `headers()` on the others (see the middleware's matcher for why).
 */

/**
 * The Content-Security-Policy of one response.
 *
 * - Scripts: only those carrying this response's nonce, plus what they load (`'strict-dynamic'`:
 *   Next.js's chunk loader adds its chunks at run time). Next.js reads the nonce from the request's
 *   CSP header and puts it on every script it renders (`getScriptNonceFromHeader` in
 *   next/dist/server/app-render). Nothing in the browser uses eval or WebAssembly (the builder's
 *   analysis is plain TypeScript, charts are SVG), so neither is allowed — except by `next dev`,
 *   whose hot reloading evaluates code.
 * - Styles: `'unsafe-inline'` because React renders `style` attributes (progress and budget bars,
 *   pixelated thumbnails), which a nonce cannot cover; CSS cannot run script.
 * - Images: `data:` and `blob:` for dataset thumbnails and figures drawn in the page.
 * - `frame-ancestors 'none'`: no other site may frame a page (clickjacking); `X-Frame-Options` says
 *   the same to browsers that predate CSP 2. The one exception is `frameAncestors`: the LMS that
 *   launched Tensorgrade in its iframe, named by a signed cookie only that frame holds
 *   (app/_lib/lti/frame-cookie.ts).
 */
export function contentSecurityPolicy(nonce: string, opts: { development: boolean; frameAncestors?: string[] }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    opts.frameAncestors?.length ? `frame-ancestors 'self' ${opts.frameAncestors.join(" ")}` : "frame-ancestors 'none'",
  ].join("; ");
}

export { STATIC_SECURITY_HEADERS } from "./static-security-headers.mjs";

/** A fresh nonce: 128 random bits, base64 (the alphabet Next.js's nonce parser accepts). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
