import { BODY_RESPONSE_CSP, STATIC_SECURITY_HEADERS } from "./app/_lib/http/static-security-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons, WebAssembly and worker-spawning packages load from node_modules at run time
  // instead of being bundled: bundling breaks their relative file lookups.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
    "@tensorflow/tfjs-node",
    "@tensorflow/tfjs-node-gpu",
    "argon2",
    "bullmq",
    // Compiles the grading child (grader/worker/compile-child.ts) with its platform binary.
    "esbuild",
    "ioredis",
    "pg",
    "sharp",
    "mnist",
  ],
  poweredByHeader: false,
  // middleware.ts sets the security headers (with a CSP nonce) on requests without a body; requests
  // with one skip the middleware (it would copy and cut their bodies) and get them here.
  async headers() {
    return [
      {
        // Not the LTI endpoints: the LMS frames them, and they set their own headers (app/_lib/lti/lti-page.ts).
        source: "/((?!lti/|api/lti/).*)",
        has: [{ type: "header", key: "content-type" }],
        headers: [
          ...Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
          { key: "content-security-policy", value: BODY_RESPONSE_CSP },
        ],
      },
    ];
  },
  // Lint and typecheck run as their own scripts (`npm run lint`, `npm run typecheck`, both in .ci/run);
  // repeating them inside `next build` would double its time on a 2-core machine.
  eslint: { ignoreDuringBuilds: true },
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // forbidden() renders app/forbidden.tsx with status 403 from any server component.
    authInterrupts: true,
    serverActions: { bodySizeLimit: "60mb" },
  },
};

export default nextConfig;
