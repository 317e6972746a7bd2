/**
 * The security headers that do not change per response, in plain JavaScript so that both
 * next.config.mjs (headers() for requests with a body, which the middleware skips) and
 * middleware.ts (every other response) read the same values.
 */

/** On every response. */
export const STATIC_SECURITY_HEADERS = Object.freeze({
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
});

/**
 * The CSP of an answer to a request with a body (JSON from a route handler, a redirect, a server
 * action's RSC payload): no script may run from it. Should a browser without JavaScript post a form
 * and get a page back, that page still shows with its styles and images.
 */
export const BODY_RESPONSE_CSP = [
  "default-src 'self'",
  "script-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
